using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Onboarding.Tests.Integration;

/// <summary>
/// What only the embedded engine can show: its host stopped and started again on the same SQLite files mid-onboarding.
/// The onboarding's paths themselves run on both engines in tests/WabaOrchestrator.Scenarios.Tests.
/// </summary>
public sealed class EngineRestartTests
{
    private const string Provision = "POST /v0.1/whatsapp-manager/deployments";
    private const string Resend = "POST /v0.1/whatsapp-manager/deployments/{deployment_id}/resend-otp";

    [Fact]
    public async Task EngineRestart_DuringTheOtpWait_ThenTheCode_ReachesReady()
    {
        await using var stack = await OnboardingStack.StartAsync();
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber());
        var deploymentId = (await stack.WaitForOtpAsync(id)).DeploymentId!;
        var (code, _) = await stack.SandboxOtpAsync(deploymentId);

        await stack.Host.RestartAsync();
        await stack.WaitForOtpAsync(id);
        await stack.RaiseOtpAsync(id, code);

        var output = (await stack.CompletionAsync(id)).ReadOutputAs<OnboardingOutput>()!;
        Assert.Equal(OnboardingStage.Completed, output.Stage);
        Assert.Equal(deploymentId, output.DeploymentId);
        Assert.Equal(1, await stack.SandboxCountAsync(Provision, "202"));
        Assert.Equal(0, await stack.SandboxCountAsync(Resend, "202"));
        await stack.AssertNoPlaintextSecretsAsync(id);
    }
}
