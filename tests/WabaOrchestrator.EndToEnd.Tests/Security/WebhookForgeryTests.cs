using System.Net;
using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.EndToEnd.Tests.Security;

/// <summary>
/// Issue #8: forged and stale inbound-SMS webhooks raise no events, against the local host and the sandbox as real
/// processes. Each forgery carries the onboarding's REAL code, so any one getting through would verify it.
/// </summary>
public sealed class WebhookForgeryTests : IAsyncLifetime
{
    private ProcessStack _stack = null!;

    public async Task InitializeAsync() => _stack = await ProcessStack.StartAsync(SecurityStack.Options());

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task ForgedWebhooks_CarryingTheRealCode_AreRefused_AndRaiseNoEvent()
    {
        const string number = "7700900301";
        var id = await Onboardings.StartAsync(_stack, SecurityStack.Voice(number));
        var (_, code) = await Onboardings.WaitForOtpAsync(_stack, id);
        var attempts = Onboardings.AttemptsLeft(await Onboardings.StatusAsync(_stack, id));

        var forgeries = Forgeries.All("44" + number, code, _stack.SignatureSecret, _stack.PrivateKeyPem);
        foreach (var (name, request) in forgeries)
        {
            using (request)
            using (var response = await _stack.Client.SendAsync(request))
            {
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name}: {await Forgeries.DescribeAsync(response)}");
            }
        }

        var afterForgeries = await Onboardings.StatusAsync(_stack, id);
        Assert.Equal("WaitingForOtp", Onboardings.Stage(afterForgeries));
        Assert.Equal(attempts, Onboardings.AttemptsLeft(afterForgeries));
        Assert.Empty(await Onboardings.VerifyCallsAsync(_stack));

        // A barrier: events reach the orchestrator in the order they were raised, so once this signed wrong code has
        // been verified, any forgery that had slipped through would have been verified first, with the real code.
        using (var barrier = SecurityStack.Signed(InboundSms.Carrying("44" + number, SecurityStack.WrongCode(code)), _stack.SignatureSecret))
        using (var response = await _stack.Client.SendAsync(barrier))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        var afterBarrier = await SecurityStack.WaitForVerifyOutcomeAsync(_stack, id);
        Assert.Equal("WaitingForOtp", Onboardings.Stage(afterBarrier));
        Assert.Equal("Running", afterBarrier.GetProperty("runtimeStatus").GetString());
        // Verified and wrong; an SMS never uses up the operator's attempts.
        Assert.Equal(attempts, Onboardings.AttemptsLeft(afterBarrier));
        Assert.Equal("422=1", SecurityStack.Render(await Onboardings.VerifyCallsAsync(_stack)));
        Assert.Equal(forgeries.Count, SecurityStack.Count(_stack.HostLogs, "Inbound-SMS webhook refused"));

        // The code the forgeries carried is still the one to use: signed properly, it verifies.
        using (var genuine = SecurityStack.Signed(InboundSms.Carrying("44" + number, code), _stack.SignatureSecret))
        using (var response = await _stack.Client.SendAsync(genuine))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        var done = await Onboardings.WaitForEndAsync(_stack, id);
        Assert.Equal("READY", done.GetProperty("output").GetProperty("state").GetString());
        Assert.Equal("201=1, 422=1", SecurityStack.Render(await Onboardings.VerifyCallsAsync(_stack)));
    }
}
