using WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;

using Microsoft.Extensions.DependencyInjection;

namespace WabaOrchestrator.Durable.Sqlite.Tests.Workflows;

public static class Registrations
{
    /// <summary>Every test orchestrator and activity, plus the counter and gate they use.</summary>
    public static void All(IDurableBuilder builder)
    {
        builder.Services.AddSingleton<RunCounter>();
        builder.Services.AddSingleton<ActivityGate>();
        builder
            .AddActivity<AddOne>()
            .AddActivity<FlakyStep>()
            .AddActivity<GatedStep>()
            .AddOrchestrator<Chain>()
            .AddOrchestrator<StepWaitStep>()
            .AddOrchestrator<CollectEvents>()
            .AddOrchestrator<Sleeper>()
            .AddOrchestrator<ApprovalRace>()
            .AddOrchestrator<CancelledWait>()
            .AddOrchestrator<RetryingCall>()
            .AddOrchestrator<CallsUnknownActivity>()
            .AddOrchestrator<Throws>()
            .AddOrchestrator<FailsOnActivity>()
            .AddOrchestrator<BigStatus>()
            .AddOrchestrator<WaitForStop>()
            .AddOrchestrator<ResumeEverything>()
            .AddOrchestrator<Gated>()
            .AddOrchestrator<ApprovalRaceCancelAsync>();
    }

    public static RunCounter Counter(this EngineHost host) => host.Services.GetRequiredService<RunCounter>();
}
