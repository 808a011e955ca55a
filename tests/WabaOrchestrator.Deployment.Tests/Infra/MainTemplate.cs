using System.Text.Json.Nodes;

namespace WabaOrchestrator.Deployment.Tests.Infra;

/// <summary>infra/main.bicep compiled once per test class by the pinned Bicep CLI.</summary>
public sealed class MainTemplate : IAsyncLifetime
{
    public ArmTemplate Template { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var result = await Bicep.BuildAsync(Path.Combine("infra", "main.bicep"));
        Assert.True(result.Succeeded, result.ToString());
        Template = new ArmTemplate(JsonNode.Parse(result.StandardOutput)!.AsObject());
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
