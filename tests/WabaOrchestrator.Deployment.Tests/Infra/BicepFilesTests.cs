namespace WabaOrchestrator.Deployment.Tests.Infra;

/// <summary>Every template under infra/ compiles and lints clean with the pinned Bicep CLI.</summary>
public sealed class BicepFilesTests
{
    public static TheoryData<string> Files() => [.. Bicep.Files];

    [Fact]
    public void Infra_HasTheMainTemplateAndItsModules() =>
        Assert.Contains(Path.Combine("infra", "main.bicep"), Bicep.Files);

    [Theory]
    [MemberData(nameof(Files))]
    public async Task BicepFile_Compiles_WithoutWarnings(string file)
    {
        var result = await Bicep.BuildAsync(file);

        Assert.True(result.Succeeded, result.ToString());
        Assert.True(string.IsNullOrWhiteSpace(result.StandardError), result.ToString());
        Assert.StartsWith("{", result.StandardOutput.TrimStart(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task BicepFile_LintsWithZeroDiagnostics(string file)
    {
        var result = await Bicep.LintAsync(file);

        Assert.True(result.Succeeded, result.ToString());
        Assert.True(string.IsNullOrWhiteSpace(result.Output), result.ToString());
    }
}
