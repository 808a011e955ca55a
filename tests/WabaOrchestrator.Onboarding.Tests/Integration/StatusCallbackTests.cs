using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding.Callbacks;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Onboarding.Tests.Integration;

/// <summary>Signed status callbacks to a real receiver on loopback, and a broken receiver that must not matter.</summary>
public sealed class StatusCallbackTests
{
    // StackHost's Onboarding:Callbacks:SigningSecret.
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("callback-signing-secret");

    [Fact]
    public async Task Callbacks_EveryStageChange_PostedOnceWithAValidSignature()
    {
        var received = new ConcurrentQueue<(bool Valid, JsonElement Body)>();
        await using var receiver = await LoopbackReceiver.StartAsync(async http =>
        {
            var body = await ReadBodyAsync(http);
            var valid = CallbackSignature.Verify(Secret, http.Request.Headers[CallbackSignature.HeaderName], body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
            received.Enqueue((valid, JsonDocument.Parse(body).RootElement.Clone()));
            http.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        await using var stack = await OnboardingStack.StartAsync();
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber(), callbackUrl: new Uri(receiver.BaseAddress, "hooks/onboarding").AbsoluteUri);
        var deploymentId = (await stack.WaitForOtpAsync(id)).DeploymentId!;
        await stack.RaiseOtpAsync(id, (await stack.SandboxOtpAsync(deploymentId)).Code);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await stack.CompletionAsync(id)).RuntimeStatus);

        var callbacks = received.ToList();
        Assert.All(callbacks, c => Assert.True(c.Valid, $"Bad signature on {c.Body}"));
        Assert.All(callbacks, c => Assert.Equal(id, c.Body.GetProperty("instance_id").GetString()));
        Assert.All(callbacks, c => Assert.True(c.Body.TryGetProperty("at", out _)));
        Assert.Equal(
            ["Provisioning", "WaitingForCluster", "WaitingForOtp", "Verifying", "Finalizing", "Completed"],
            callbacks.Select(c => c.Body.GetProperty("stage").GetString()));
        var waiting = callbacks.Single(c => c.Body.GetProperty("stage").GetString() == "WaitingForOtp").Body;
        Assert.Equal("CODE_SENT", waiting.GetProperty("vonage_state").GetString());
        Assert.Equal("READY", callbacks[^1].Body.GetProperty("vonage_state").GetString());
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    [Fact]
    public async Task Callbacks_ReceiverAlwaysFailing_RetriedButTheOnboardingCompletes()
    {
        var attempts = 0;
        await using var receiver = await LoopbackReceiver.StartAsync(http =>
        {
            Interlocked.Increment(ref attempts);
            http.Response.StatusCode = StatusCodes.Status502BadGateway;
            return Task.CompletedTask;
        });
        await using var stack = await OnboardingStack.StartAsync();
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber(), callbackUrl: receiver.BaseAddress.AbsoluteUri);
        var deploymentId = (await stack.WaitForOtpAsync(id)).DeploymentId!;
        await stack.RaiseOtpAsync(id, (await stack.SandboxOtpAsync(deploymentId)).Code);

        var done = await stack.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(OnboardingStage.Completed, done.ReadOutputAs<OnboardingOutput>()!.Stage);
        // Six stage changes, each tried more than once.
        Assert.True(Volatile.Read(ref attempts) > 6, $"Only {attempts} callback attempts.");
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
