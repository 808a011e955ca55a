using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using WabaOrchestrator.Testing.Processes;
using Xunit.Abstractions;

namespace WabaOrchestrator.EndToEnd.Tests.Reliability;

/// <summary>Issue 8: Vonage throttling, failing and slow (the sandbox's fault injection) while onboardings and proxy callers run.</summary>
public sealed class VonageFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Numbers = 100;
    private const string WabaId = "20250001";

    private ProcessStack _stack = null!;

    public async Task InitializeAsync() => _stack = await ProcessStack.StartAsync(new ProcessStackOptions
    {
        HostSettings = new Dictionary<string, string?>
        {
            // Two in-process retries: a throttled call usually gets through, yet some 429s reach proxy callers, which is
            // what they must see relayed. The workflow's durable retries absorb the rest.
            ["Vonage:Resilience:MaxRetryAttempts"] = "2",
            // A 500 on a create, verify or profile PATCH is only retried by the workflow (the client never repeats a
            // POST Vonage may have processed): at 5 % errors, 10 durable tries make a failed onboarding ~1e-13 per step.
            ["Onboarding:VonageAttempts"] = "10",
        },
    });

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task ThrottlingErrorsAndLatency_OnboardingsAllComplete_ProxiesAnswerSuccessOrVonagesOwnError()
    {
        // Before the faults: one READY number and one template, for the proxy callers to read.
        var probe = new Fleet(_stack, Fleet.Numbers("77008", 1));
        await probe.StartAllAsync();
        var probeStatuses = await probe.FinishedAsync(TimeSpan.FromMinutes(1));
        probe.AssertAllReady(probeStatuses);
        var probeStatus = probeStatuses.Values.Single();
        using var template = await _stack.Client.PostAsJsonAsync($"api/wabas/{WabaId}/templates", ProxyTraffic.Template(0));
        Assert.True(template.IsSuccessStatusCode, await template.Content.ReadAsStringAsync());
        var templateId = (await template.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        await SetFaultsAsync(throttleRate: 0.2, errorRate: 0.05, latencyMs: 50);
        var fleet = new Fleet(_stack, Fleet.Numbers("77009", Numbers));
        var traffic = new ProxyTraffic(_stack.Client, Fleet.Output(probeStatus, "deployment_id")!, WabaId, templateId);
        var clock = Stopwatch.StartNew();
        IReadOnlyDictionary<string, JsonElement> statuses;
        using (var stop = new CancellationTokenSource())
        {
            var callers = traffic.RunAsync(callers: 8, minimumRounds: 13, stop.Token);
            try
            {
                await fleet.StartAllAsync();
                statuses = await fleet.FinishedAsync(TimeSpan.FromMinutes(3));
            }
            finally
            {
                await stop.CancelAsync();
                await callers;
            }
        }

        var faulty = await SandboxCounts.ReadAsync(_stack);
        // The checks below read Vonage through the proxies; they are not about faults.
        await SetFaultsAsync(throttleRate: 0, errorRate: 0, latencyMs: 0);
        output.WriteLine($"{Numbers} onboardings under faults finished in {clock.Elapsed.TotalSeconds:0.0} s; {traffic.Calls} proxy calls, {traffic.Relayed} Vonage errors relayed.");
        output.WriteLine(string.Join('\n', traffic.Tally.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"  {t.Key}: {t.Value}")));
        output.WriteLine(faulty.ToString());

        fleet.AssertAllReady(statuses);
        await fleet.AssertHeldByVonageAsync(statuses);
        Assert.True(faulty.Count(SandboxCounts.Provision, 202) == Numbers + 1,
            fleet.Describe($"Vonage created {faulty.Count(SandboxCounts.Provision, 202)} deployments for {Numbers + 1} numbers.\n{faulty}"));
        Assert.True(faulty.Count(SandboxCounts.Provision, 429) > 0 && faulty.ServerErrors > 0,
            fleet.Describe($"The faults did not reach the provisioning calls:\n{faulty}"));

        Assert.True(traffic.Wrong.Count == 0,
            fleet.Describe($"{traffic.Wrong.Count} proxy answers were neither a success nor Vonage's error:\n  " + string.Join("\n  ", traffic.Wrong.Take(20))));
        // About 1 in 7 rounds meets an error the client's retries cannot absorb: with 8 × 13 rounds, none at all is a one
        // in a million chance, or a sign that errors are being swallowed.
        Assert.True(traffic.Relayed > 0, $"No Vonage error reached a proxy caller in {traffic.Calls} calls: the faults were not exercised.\n{faulty}");
        // A create is never repeated after a 500 (it may have been processed), so each of Vonage's 500s reached its caller.
        Assert.True(traffic.Count(ProxyTraffic.CreateTemplate, 500) == faulty.Count(SandboxCounts.CreateTemplate, 500),
            $"Vonage answered {faulty.Count(SandboxCounts.CreateTemplate, 500)} template creates with 500; callers saw {traffic.Count(ProxyTraffic.CreateTemplate, 500)}.\n{faulty}");
        fleet.AssertNoHostErrors();
    }

    private async Task SetFaultsAsync(double throttleRate, double errorRate, int latencyMs)
    {
        using var response = await _stack.SandboxClient.PostAsJsonAsync("_sandbox/faults", new { throttle_rate = throttleRate, error_rate = errorRate, latency_ms = latencyMs });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
