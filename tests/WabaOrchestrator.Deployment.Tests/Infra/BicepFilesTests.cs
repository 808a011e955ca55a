namespace WabaOrchestrator.Deployment.Tests.Infra;

/// <summary>Every template under infra/ compiles and lints clean with the pinned Bicep CLI.</summary>
public sealed class BicepFilesTests
{
    public static TheoryData<string> Files() => [.. Bicep.Files];

    [Fact]
    public async Task Infra_BuildsAndLints_WithZeroDiagnostics()
    {
        var bicep = await Bicep.CompiledAsync();

        Assert.Contains(Path.Combine("infra", "main.bicep"), Bicep.Files);
        Assert.True(bicep.Build.Succeeded && string.IsNullOrWhiteSpace(bicep.Build.Output), bicep.Build.ToString());
        Assert.True(bicep.Lint.Succeeded && string.IsNullOrWhiteSpace(bicep.Lint.Output), bicep.Lint.ToString());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task BicepFile_CompilesToAnArmTemplate_WithoutWarnings(string file)
    {
        var bicep = await Bicep.CompiledAsync();

        Assert.Empty(bicep.DiagnosticsFor(file));
        Assert.StartsWith("{", (await File.ReadAllTextAsync(bicep.TemplatePathOf(file))).TrimStart(), StringComparison.Ordinal);
    }
}
