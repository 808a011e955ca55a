using WabaOrchestrator.Durable;

namespace WabaOrchestrator.Onboarding;

/// <summary>
/// One durable onboarding per number: provision → poll to CODE_SENT → OTP loop with resends → verify → poll to
/// READY → profile and photo. The steps live in <see cref="OnboardingWorkflow"/>, which holds the state of one run.
/// </summary>
public sealed class OnboardingOrchestrator : Orchestrator<OnboardingInput, OnboardingOutput>
{
    public override Task<OnboardingOutput> RunAsync(IOrchestrationContext context, OnboardingInput input) =>
        new OnboardingWorkflow(context, input).RunAsync();
}
