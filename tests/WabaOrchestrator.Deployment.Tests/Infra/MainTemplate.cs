using System.Text.Json.Nodes;

namespace WabaOrchestrator.Deployment.Tests.Infra;

/// <summary>The ARM template the pinned Bicep CLI compiled from infra/main.bicep (once per test run, shared).</summary>
public sealed class MainTemplate : IAsyncLifetime
{
    public ArmTemplate Template { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var bicep = await Bicep.CompiledAsync();
        Assert.True(bicep.Build.Succeeded, bicep.Build.ToString());
        var json = await File.ReadAllTextAsync(bicep.TemplatePathOf(Path.Combine("infra", "main.bicep")));
        Template = new ArmTemplate(JsonNode.Parse(json)!.AsObject());
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
