using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using WabaOrchestrator.Functions.Durable;
using WabaOrchestrator.Onboarding;

namespace WabaOrchestrator.Functions.Orchestration;

/// <summary>
/// The onboarding orchestrator as a Durable Functions orchestrator function. The function name is the orchestrator's
/// class name, which <see cref="OnboardingStarter"/> schedules, so both hosts start the same name.
/// </summary>
public static class OnboardingOrchestratorFunction
{
    [Function(nameof(OnboardingOrchestrator))]
    public static Task<OnboardingOutput> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var input = context.GetInput<OnboardingInput>()
            ?? throw new InvalidOperationException($"Orchestration '{context.InstanceId}' was started without an {nameof(OnboardingInput)}.");

        // Orchestrator code holds no services: a new orchestrator per episode, as on the embedded engine.
        return new OnboardingOrchestrator().RunAsync(new DurableFunctionsOrchestrationContext(context), input);
    }
}
