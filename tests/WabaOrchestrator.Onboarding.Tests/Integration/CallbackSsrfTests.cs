using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Onboarding.Tests.Integration;

/// <summary>
/// Issue 14's reproduction of the callback SSRF, through the starter and the engine: a callback that reaches a loopback
/// service by name, or is redirected to another loopback path, never gets there, and the onboarding completes anyway.
/// </summary>
public sealed class CallbackSsrfTests
{
    [Fact]
    public async Task Callback_ToANameThatResolvesToLoopback_RefusedAtConnectAndTheOnboardingCompletes()
    {
        var requests = new ConcurrentQueue<string>();
        await using var receiver = await LoopbackReceiver.StartAsync(http =>
        {
            requests.Enqueue(http.Request.Path.Value!);
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        await using var stack = await OnboardingStack.StartAsync(new StackSetup
        {
            Settings = new() { ["Onboarding:Callbacks:AllowPrivateAddresses"] = "false" },
        });

        // "localhost" names no address literally, so the start accepts it; the connection is what must be refused.
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber(), callbackUrl: $"http://localhost:{receiver.BaseAddress.Port}/internal/admin?token=t0p");
        var deploymentId = (await stack.WaitForOtpAsync(id)).DeploymentId!;
        await stack.RaiseOtpAsync(id, (await stack.SandboxOtpAsync(deploymentId)).Code);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await stack.CompletionAsync(id)).RuntimeStatus);
        // Until the Completed callback was refused, or (the SSRF) a request got through.
        await Poll.UntilAsync(() => Task.FromResult(!requests.IsEmpty || stack.Logs.Lines.Any(l => l.Contains("Completed", StringComparison.Ordinal) && IsRefusal(l))), "the Completed callback's refusal");
        Assert.Empty(requests);
        Assert.Contains(stack.Logs.Lines, l => IsRefusal(l) && l.Contains("127.0.0.1 (loopback)", StringComparison.Ordinal));
        Assert.DoesNotContain(stack.Logs.Lines, l => IsRefusal(l) && l.Contains("t0p", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Callback_RedirectedToAnotherLoopbackPath_TheRedirectIsNeverFollowed()
    {
        var requests = new ConcurrentQueue<string>();
        await using var receiver = await LoopbackReceiver.StartAsync(http =>
        {
            requests.Enqueue(http.Request.Path.Value!);
            if (http.Request.Path == "/hooks")
            {
                http.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
                http.Response.Headers.Location = "/internal/admin";
            }

            return Task.CompletedTask;
        });
        await using var stack = await OnboardingStack.StartAsync();

        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber(), callbackUrl: new Uri(receiver.BaseAddress, "hooks").AbsoluteUri);
        var deploymentId = (await stack.WaitForOtpAsync(id)).DeploymentId!;
        await stack.RaiseOtpAsync(id, (await stack.SandboxOtpAsync(deploymentId)).Code);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await stack.CompletionAsync(id)).RuntimeStatus);
        // Until the Completed callback failed on its 307, or (the SSRF) the redirect was followed.
        await Poll.UntilAsync(
            () => Task.FromResult(requests.Contains("/internal/admin") || stack.Logs.Lines.Any(l => l.Contains("Completed", StringComparison.Ordinal) && l.Contains("redirects are not followed", StringComparison.Ordinal))),
            "the Completed callback's failure");
        Assert.DoesNotContain("/internal/admin", requests);
        Assert.Contains("/hooks", requests);
    }

    private static bool IsRefusal(string line) => line.Contains("was refused", StringComparison.Ordinal);
}
