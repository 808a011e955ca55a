using System.Net.Http.Json;
using System.Text.Json;
using WabaOrchestrator.Testing;
using WabaOrchestrator.Testing.Processes;
using Xunit.Abstractions;

namespace WabaOrchestrator.EndToEnd.Tests.Reliability;

/// <summary>
/// The quickstart's mode: one local host process with the sandbox embedded, both keeping their state in its data
/// directory. A SIGKILL with onboardings at every stage takes the sandbox down with the host; after a restart on the
/// same port and data every onboarding completes, with one provisioning and one code per number.
/// </summary>
public sealed class EmbeddedSandboxRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Slow enough steps to catch onboardings mid-way, and SMS that take seconds to arrive, so one is still due when the
    // host dies. The OTP window outlasts any restart: a resend would mean a lost code.
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Sandbox:StepDelay"] = "00:00:00.300",
        ["Sandbox:InboundSms:Delay"] = "00:00:05",
        ["Onboarding:OtpWindow"] = "00:02:00",
    };

    private LocalHostProcess _host = null!;

    public async Task InitializeAsync() => _host = await LocalHostProcess.StartAsync(Settings);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task HostKilledWithOnboardingsAtEveryStage_AllCompleteAfterARestart_OneProvisioningAndOneCodePerNumber()
    {
        var completed = await StartAsync("7701300101", "sms");
        await Poll.UntilAsync(async () => await RuntimeStatusAsync(completed) == "Completed", "the first sms onboarding to complete", TimeSpan.FromSeconds(60));

        var voiceWaiting = await StartAsync("7701300102", "voice");
        var waitingCode = await CodeWhenWaitingAsync(voiceWaiting);
        var voiceFinalizing = await StartAsync("7701300103", "voice");
        var finalizingCode = await CodeWhenWaitingAsync(voiceFinalizing);
        var smsDue = await StartAsync("7701300104", "sms");
        await Poll.UntilAsync(async () => (await _host.PendingSmsAsync()).Any(p => p.GetProperty("to").GetString() == "44" + smsDue.Number), "the sms code to be on its way");
        Onboarding[] early = [await StartAsync("7701300105", "sms"), await StartAsync("7701300106", "sms"), await StartAsync("7701300107", "voice")];
        await TypeAsync(voiceFinalizing, finalizingCode);
        await Poll.UntilAsync(async () => await DeploymentStateAsync(voiceFinalizing) is "CODE_VERIFIED" or "FINALIZING", "the typed code to be accepted");

        var provisioning = await StartAsync("7701300108", "sms");

        Onboarding[] all = [completed, voiceWaiting, voiceFinalizing, smsDue, .. early, provisioning];
        output.WriteLine("Before the kill: " + string.Join("; ", await Task.WhenAll(all.Select(DescribeAsync))));
        Assert.Contains(await _host.PendingSmsAsync(), p => p.GetProperty("to").GetString() == "44" + smsDue.Number);
        await _host.KillAndRestartAsync();

        Assert.Equal(waitingCode, await OtpAsync(voiceWaiting));
        await TypeAsync(voiceWaiting, waitingCode);
        await TypeAsync(early[2], await CodeWhenWaitingAsync(early[2]));
        await Poll.UntilAsync(
            async () => (await Task.WhenAll(all.Select(RuntimeStatusAsync))).All(s => s is "Completed" or "Failed" or "Terminated"),
            "every onboarding to finish",
            TimeSpan.FromSeconds(90));

        output.WriteLine("After the restart: " + string.Join("; ", await Task.WhenAll(all.Select(DescribeAsync))));
        foreach (var onboarding in all)
        {
            var status = await _host.Client.GetFromJsonAsync<JsonElement>(onboarding.StatusPath);
            Assert.True(status.GetProperty("runtimeStatus").GetString() == "Completed", $"{onboarding.Number}: {status}\n{_host.Logs}");
            Assert.Equal("READY", status.GetProperty("output").GetProperty("state").GetString());
        }

        var deployments = await _host.SandboxDeploymentsAsync();
        foreach (var onboarding in all)
        {
            var ofNumber = deployments.Where(d => d.GetProperty("number").GetString() == onboarding.Number).ToList();
            var deployment = Assert.Single(ofNumber);
            Assert.Equal("READY", deployment.GetProperty("state").GetString());
            Assert.True(deployment.GetProperty("codes_sent").GetInt32() == 1, $"{onboarding.Number} was sent another code: {deployment}");
            Assert.Equal(0, deployment.GetProperty("wrong_attempts").GetInt32());
        }

        Assert.Equal(all.Length, deployments.Count);
        Assert.Empty(await _host.PendingSmsAsync());
        Assert.DoesNotContain("gave up", _host.Logs, StringComparison.Ordinal);
    }

    private sealed record Onboarding(string Number, string Method)
    {
        public string StatusPath => $"api/onboardings/waba-44{Number}";
    }

    private async Task<Onboarding> StartAsync(string number, string method)
    {
        using var started = await _host.Client.PostAsJsonAsync("api/onboardings", new { country_code = "44", number, vname_certificate = "e2e-cert", method, waba_id = "123456" });
        Assert.True(started.IsSuccessStatusCode, $"{started.StatusCode}: {await started.Content.ReadAsStringAsync()}");
        return new Onboarding(number, method);
    }

    private async Task<string> RuntimeStatusAsync(Onboarding onboarding) =>
        (await _host.Client.GetFromJsonAsync<JsonElement>(onboarding.StatusPath)).GetProperty("runtimeStatus").GetString()!;

    private async Task<string> DescribeAsync(Onboarding onboarding)
    {
        var status = await _host.Client.GetFromJsonAsync<JsonElement>(onboarding.StatusPath);
        var stage = status.TryGetProperty("customStatus", out var custom) && custom.ValueKind == JsonValueKind.Object && custom.TryGetProperty("stage", out var s) ? s.GetString() : "-";
        return $"{onboarding.Number} ({onboarding.Method}) {status.GetProperty("runtimeStatus").GetString()}/{stage}/{await DeploymentStateAsync(onboarding) ?? "no deployment"}";
    }

    private async Task<string?> DeploymentStateAsync(Onboarding onboarding) =>
        (await _host.SandboxDeploymentsAsync()).FirstOrDefault(d => d.GetProperty("number").GetString() == onboarding.Number) is { ValueKind: JsonValueKind.Object } d
            ? d.GetProperty("state").GetString()
            : null;

    private async Task<string?> OtpAsync(Onboarding onboarding)
    {
        var deployment = (await _host.SandboxDeploymentsAsync()).FirstOrDefault(d => d.GetProperty("number").GetString() == onboarding.Number);
        if (deployment.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        using var otp = await _host.SandboxClient.GetAsync($"_sandbox/deployments/{deployment.GetProperty("deployment_id").GetString()}/otp");
        return otp.IsSuccessStatusCode ? (await otp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString() : null;
    }

    /// <summary>The code of a voice onboarding once the onboarding waits for it.</summary>
    private Task<string> CodeWhenWaitingAsync(Onboarding onboarding) =>
        Poll.UntilAsync(
            async () =>
            {
                var status = await _host.Client.GetFromJsonAsync<JsonElement>(onboarding.StatusPath);
                var waiting = status.TryGetProperty("customStatus", out var custom) && custom.ValueKind == JsonValueKind.Object
                    && custom.TryGetProperty("stage", out var stage) && stage.GetString() == "WaitingForOtp";
                return waiting ? await OtpAsync(onboarding) : null;
            },
            $"{onboarding.Number} to wait for its code",
            TimeSpan.FromSeconds(60));

    /// <summary>The operator types the code, once.</summary>
    private async Task TypeAsync(Onboarding onboarding, string code)
    {
        using var typed = await _host.Client.PostAsJsonAsync($"api/onboardings/waba-44{onboarding.Number}/otp", new { code });
        Assert.True(typed.IsSuccessStatusCode, $"{onboarding.Number}: {typed.StatusCode} {await typed.Content.ReadAsStringAsync()}");
    }
}
