using System.Diagnostics;
using System.Globalization;
using WabaOrchestrator.Testing.Processes;
using Xunit.Abstractions;

namespace WabaOrchestrator.EndToEnd.Tests.Reliability;

/// <summary>Issue 8: the host process SIGKILLed at random moments while onboardings run; the sandbox (Vonage) keeps running.</summary>
public sealed class HostCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Numbers = 100;
    private const int Kills = 10;

    private ProcessStack _stack = null!;

    public async Task InitializeAsync() => _stack = await ProcessStack.StartAsync(new ProcessStackOptions
    {
        // Steps of 100 ms make one onboarding last about a second, so a kill drawn within a second lands in any stage.
        SandboxSettings = new Dictionary<string, string?> { ["Sandbox:StepDelay"] = "00:00:00.100" },
        // A window far longer than a restart: a resend would only happen if a delivered code had been lost.
        HostSettings = new Dictionary<string, string?> { ["Onboarding:OtpWindow"] = "00:01:00" },
    });

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task HostKilledTenTimesDuringOnboardings_EveryNumberReadyOnce_NoCodeLost_NoneStuck()
    {
        var seed = Environment.GetEnvironmentVariable("WABA_E2E_SEED") is { Length: > 0 } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Environment.TickCount;
        output.WriteLine($"Seed {seed} (set WABA_E2E_SEED={seed} to replay the same kill moments).");
        var random = new Random(seed);
        // One in five is voice, typed in by an operator who keeps working through the crashes.
        var fleet = new Fleet(_stack, Fleet.Numbers("77009", Numbers, voiceEvery: 5));
        var operatorDesk = new VoiceOperator(_stack, fleet);
        var clock = Stopwatch.StartNew();
        var answering = operatorDesk.RunAsync(TimeSpan.FromMinutes(3));

        // A wave before each kill, so every kill meets onboardings in flight: fresh ones and those resumed from the last crash.
        var waves = fleet.Members.Chunk(Numbers / Kills).ToList();
        foreach (var wave in waves)
        {
            await fleet.StartAsync(wave);
            // Choosing the kill moment, not waiting for anything.
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 1200)));
            await _stack.KillAndRestartHostAsync();
        }

        await answering;
        var statuses = await fleet.FinishedAsync(TimeSpan.FromMinutes(3));
        output.WriteLine($"{Numbers} onboardings through {Kills} kills finished in {clock.Elapsed.TotalSeconds:0.0} s.");

        var context = $"Seed {seed}.\n";
        var runs = fleet.HostLogs.Split("WabaOrchestrator is running.").Length - 1;
        Assert.True(runs == Kills + 1, fleet.Describe(context + $"The host started {runs} times, not {Kills + 1}."));
        fleet.AssertNoHostErrors(context);
        fleet.AssertAllReady(statuses);
        await fleet.AssertHeldByVonageAsync(statuses);
        var stats = await SandboxCounts.ReadAsync(_stack);
        output.WriteLine(stats.ToString());
        Assert.True(stats.Count(SandboxCounts.Provision, 202) == Numbers,
            fleet.Describe(context + $"Vonage created {stats.Count(SandboxCounts.Provision, 202)} deployments for {Numbers} numbers.\n{stats}"));
        Assert.True(stats.Count(SandboxCounts.Verify, 201) == Numbers,
            fleet.Describe(context + $"Vonage accepted {stats.Count(SandboxCounts.Verify, 201)} codes for {Numbers} numbers.\n{stats}"));
        // Every code texted, and every code the operator had accepted, reached its onboarding: none needed a new one.
        Assert.True(stats.Total(SandboxCounts.ResendOtp) == 0,
            fleet.Describe(context + $"{stats.Total(SandboxCounts.ResendOtp)} codes had to be resent: a delivered code was lost.\n{stats}"));
        Assert.True(operatorDesk.NumbersAnswered == Numbers / 5, fleet.Describe(context + $"The operator answered {operatorDesk.NumbersAnswered} of {Numbers / 5} voice numbers."));
        Assert.True(stats.Total(SandboxCounts.DeleteDeployment) == 0,
            fleet.Describe(context + $"{stats.Total(SandboxCounts.DeleteDeployment)} deployments were deleted.\n{stats}"));
    }
}
