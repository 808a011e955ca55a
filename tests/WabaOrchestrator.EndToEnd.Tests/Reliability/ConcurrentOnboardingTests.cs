using System.Diagnostics;
using WabaOrchestrator.Testing.Processes;
using Xunit.Abstractions;

namespace WabaOrchestrator.EndToEnd.Tests.Reliability;

/// <summary>Issue 8: many onboardings at once through the real host and sandbox processes.</summary>
public sealed class ConcurrentOnboardingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ProcessStack _stack = null!;

    public async Task InitializeAsync() => _stack = await ProcessStack.StartAsync();

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task TwoHundredConcurrentOnboardings_AllReachReady_WithTheirOwnProfiles()
    {
        // One in ten is voice: its code is typed in by the operator while the sms ones verify by themselves.
        var fleet = new Fleet(_stack, Fleet.Numbers("77009", 200, voiceEvery: 10));
        var operatorDesk = new VoiceOperator(_stack, fleet);
        var clock = Stopwatch.StartNew();

        await fleet.StartAllAsync();
        await operatorDesk.RunAsync(TimeSpan.FromMinutes(3));
        var statuses = await fleet.FinishedAsync(TimeSpan.FromMinutes(3));
        output.WriteLine($"200 onboardings finished in {clock.Elapsed.TotalSeconds:0.0} s; {operatorDesk.NumbersAnswered} voice numbers answered by the operator.");

        fleet.AssertAllReady(statuses);
        await fleet.AssertHeldByVonageAsync(statuses);
        var stats = await SandboxCounts.ReadAsync(_stack);
        Assert.True(stats.Count(SandboxCounts.Provision, 202) == 200, fleet.Describe($"Provisioned {stats.Count(SandboxCounts.Provision, 202)} deployments for 200 numbers.\n{stats}"));
        Assert.True(stats.Count(SandboxCounts.Verify, 201) == 200, fleet.Describe($"Verified {stats.Count(SandboxCounts.Verify, 201)} codes for 200 numbers.\n{stats}"));
        Assert.True(operatorDesk.NumbersAnswered == 20, fleet.Describe($"The operator answered {operatorDesk.NumbersAnswered} of 20 voice numbers."));
        Assert.True(stats.ServerErrors == 0, fleet.Describe($"The sandbox answered {stats.ServerErrors} server errors.\n{stats}"));
        fleet.AssertNoHostErrors();
    }
}
