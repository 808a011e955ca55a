using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WabaOrchestrator.Testing;
using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.EndToEnd.Tests;

/// <summary>The process stack itself: the host and the sandbox as child processes, wired to each other.</summary>
public sealed class ProcessStackTests : IAsyncLifetime
{
    private ProcessStack _stack = null!;

    public async Task InitializeAsync() => _stack = await ProcessStack.StartAsync();

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task SmsOnboarding_ReachesReady_AndSurvivesAHostKillAfterwards()
    {
        using var started = await _stack.Client.PostAsJsonAsync("api/onboardings", new
        {
            country_code = "44",
            number = "7700900001",
            vname_certificate = "e2e-cert",
            method = "sms",
            waba_id = "123456",
            profile = new { about = "Fresh bread daily" },
        });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        var status = await CompletedAsync("api/onboardings/waba-447700900001");
        Assert.Equal("READY", status.GetProperty("output").GetProperty("state").GetString());

        await _stack.KillAndRestartHostAsync();
        var again = await CompletedAsync("api/onboardings/waba-447700900001");
        Assert.Equal("READY", again.GetProperty("output").GetProperty("state").GetString());
        Assert.Contains("WabaOrchestrator is running.", _stack.HostLogs, StringComparison.Ordinal);
    }

    private async Task<JsonElement> CompletedAsync(string path) =>
        (JsonElement)await Poll.UntilAsync<object>(
            async () =>
            {
                var status = await _stack.Client.GetFromJsonAsync<JsonElement>(path);
                return status.GetProperty("runtimeStatus").GetString() == "Completed" ? status : null;
            },
            $"{path} to complete");
}
