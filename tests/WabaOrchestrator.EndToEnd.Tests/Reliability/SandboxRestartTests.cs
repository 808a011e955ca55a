using System.Net.Http.Json;
using System.Text.Json;
using WabaOrchestrator.Testing;
using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.EndToEnd.Tests.Reliability;

/// <summary>
/// The other side of a restart: the standalone sandbox, given a data directory, is SIGKILLed while codes are on their
/// way and a voice onboarding waits for its code, and started again on the same port. Its deployments, codes and
/// pending SMS deliveries come back, and every onboarding completes with one provisioning and one code per number.
/// </summary>
public sealed class SandboxRestartTests : IAsyncLifetime
{
    private ProcessStack _stack = null!;

    public async Task InitializeAsync() => _stack = await ProcessStack.StartAsync(new ProcessStackOptions
    {
        PersistentSandbox = true,
        // SMS take seconds to arrive, so they are still pending when the sandbox dies.
        SandboxSettings = new Dictionary<string, string?> { ["Sandbox:StepDelay"] = "00:00:00.100", ["Sandbox:InboundSms:Delay"] = "00:00:06" },
        // While the sandbox restarts (seconds on a busy machine) every Vonage call is refused: the workflow's durable
        // retries must outlast that, as they would a short Vonage outage (the fast defaults give up after 0.6 s; 20 tries capped at 2 s last about 30 s).
        HostSettings = new Dictionary<string, string?>
        {
            ["Onboarding:OtpWindow"] = "00:02:00",
            ["Onboarding:VonageAttempts"] = "20",
            ["Onboarding:MaxPollInterval"] = "00:00:02",
        },
    });

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task SandboxKilledWithCodesOnTheirWay_EveryOnboardingCompletesAfterItsRestart_OneProvisioningAndOneCodePerNumber()
    {
        string[] sms = ["7701400101", "7701400103", "7701400104"];
        const string Voice = "7701400105";
        foreach (var (number, method) in sms.Select(n => (n, "sms")).Append((Voice, "voice")))
        {
            using var started = await _stack.Client.PostAsJsonAsync("api/onboardings", new { country_code = "44", number, vname_certificate = "e2e-cert", method, waba_id = "123456" });
            Assert.True(started.IsSuccessStatusCode, $"{number}: {started.StatusCode}");
        }

        await Poll.UntilAsync(async () => (await PendingAsync()).Count == sms.Length, "every sms code to be on its way");
        var code = await Poll.UntilAsync(() => OtpAsync(Voice), "the voice code");
        var pending = await PendingMessageIdsAsync();
        await _stack.KillAndRestartSandboxAsync();

        Assert.True(File.Exists(Path.Combine(_stack.SandboxDataDirectory, "sandbox.db")));
        Assert.Equal(code, await OtpAsync(Voice));
        using (var typed = await _stack.Client.PostAsJsonAsync($"api/onboardings/waba-44{Voice}/otp", new { code }))
        {
            Assert.True(typed.IsSuccessStatusCode, $"{typed.StatusCode}: {await typed.Content.ReadAsStringAsync()}");
        }

        foreach (var number in sms.Append(Voice))
        {
            var status = (JsonElement)await Poll.UntilAsync<object>(
                async () => await _stack.Client.GetFromJsonAsync<JsonElement>($"api/onboardings/waba-44{number}") is var s
                    && s.GetProperty("runtimeStatus").GetString() is "Completed" or "Failed" or "Terminated" ? s : null,
                $"{number} to finish",
                TimeSpan.FromSeconds(60));
            Assert.True(status.GetProperty("runtimeStatus").GetString() == "Completed", $"{number}: {status}\n{_stack.HostLogs}");
        }

        var deployments = await DeploymentsAsync();
        Assert.Equal(sms.Length + 1, deployments.Count);
        Assert.All(deployments, d =>
        {
            Assert.Equal("READY", d.GetProperty("state").GetString());
            Assert.Equal(1, d.GetProperty("codes_sent").GetInt32());
        });
        Assert.Equal(sms.Append(Voice).Order(), deployments.Select(d => d.GetProperty("number").GetString()!).Order());
        Assert.Empty(await PendingAsync());

        // The deliveries pending when the sandbox died arrived afterwards under the same message ids.
        Assert.All(pending, id => Assert.Contains($"Inbound SMS {id} delivered its code", _stack.HostLogs, StringComparison.Ordinal));
    }

    private async Task<List<string>> PendingMessageIdsAsync() =>
        [.. (await _stack.SandboxClient.GetFromJsonAsync<JsonElement>("_sandbox/inbound-sms")).GetProperty("pending").EnumerateArray().Select(p => p.GetProperty("message_id").GetString()!)];

    private async Task<List<string>> PendingAsync() =>
        [.. (await _stack.SandboxClient.GetFromJsonAsync<JsonElement>("_sandbox/inbound-sms")).GetProperty("pending").EnumerateArray().Select(p => p.GetProperty("to").GetString()!)];

    private async Task<List<JsonElement>> DeploymentsAsync() =>
        [.. (await _stack.SandboxClient.GetFromJsonAsync<JsonElement>("_sandbox/deployments")).GetProperty("deployments").EnumerateArray()];

    private async Task<string?> OtpAsync(string number)
    {
        var deployment = (await DeploymentsAsync()).FirstOrDefault(d => d.GetProperty("number").GetString() == number);
        if (deployment.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        using var otp = await _stack.SandboxClient.GetAsync($"_sandbox/deployments/{deployment.GetProperty("deployment_id").GetString()}/otp");
        return otp.IsSuccessStatusCode ? (await otp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString() : null;
    }
}
