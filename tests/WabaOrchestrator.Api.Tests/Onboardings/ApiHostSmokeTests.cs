using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Api.Tests.Infrastructure;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Api.Tests.Onboardings;

/// <summary>Proves the fixture wiring end to end before any endpoint exists: an onboarding started through the real
/// starter reaches READY against the sandbox, driven by the OTP the sandbox sent.</summary>
public sealed class ApiHostSmokeTests
{
    [Fact]
    public async Task Onboarding_StartedOnTheEngine_ReachesReadyWithTheSandboxOtp()
    {
        await using var host = await ApiHost.StartAsync();
        var starter = host.Services.GetRequiredService<OnboardingStarter>();
        var client = host.Services.GetRequiredService<IOrchestrationClient>();

        var started = await starter.StartAsync(new OnboardingRequest { CountryCode = "44", Number = "7700900100", VnameCertificate = "cert", Method = "sms", WabaId = "123456" });
        Assert.Equal(StartOutcome.Started, started.Outcome);

        var deploymentId = await Poll.UntilAsync(async () => (await client.GetInstanceAsync(started.InstanceId!))?.ReadCustomStatusAs<OnboardingStatus>() is { Stage: OnboardingStage.WaitingForOtp, DeploymentId: { } id } ? id : null, "the OTP wait");
        var otp = await host.SandboxClient.GetFromJsonAsync<SandboxOtp>($"_sandbox/deployments/{deploymentId}/otp");
        await client.RaiseEventAsync(started.InstanceId!, OnboardingEvents.Otp, starter.ProtectOtp(otp!.Code, "test"));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var done = await client.WaitForInstanceCompletionAsync(started.InstanceId!, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(OnboardingStage.Completed, done.ReadOutputAs<OnboardingOutput>()!.Stage);
        Assert.Equal(HttpStatusCode.OK, (await host.SandboxClient.GetAsync($"_sandbox/deployments/{deploymentId}/otp")).StatusCode);
    }

    private sealed record SandboxOtp(string Code, string Method);
}
