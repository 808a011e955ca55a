using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.EndToEnd.Tests.Security;

/// <summary>
/// Issue #8: a replayed inbound SMS (Vonage re-sends for 24 hours, same messageId) raises no second event, before
/// and after a kill -9 of the host, whose in-memory dedupe a restart forgets; the orchestrator's own dedupe by
/// <c>sms:&lt;messageId&gt;</c> is durable. Every replay re-sends the first delivery's exact bytes and token.
/// </summary>
public sealed class WebhookReplayTests : IAsyncLifetime
{
    private ProcessStack _stack = null!;

    public async Task InitializeAsync() => _stack = await ProcessStack.StartAsync(SecurityStack.Options());

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task ReplayedWebhooks_AreAcknowledged_AndVerifiedOnce_AcrossAHostKill()
    {
        const string number = "7700900302";
        var to = "44" + number;
        var id = await Onboardings.StartAsync(_stack, SecurityStack.Voice(number));
        var (_, code) = await Onboardings.WaitForOtpAsync(_stack, id);
        var attempts = Onboardings.AttemptsLeft(await Onboardings.StatusAsync(_stack, id));

        // A wrong code first: the onboarding keeps waiting, so a replay of it that got through would be verified again.
        var wrong = Recorded.Of(InboundSms.Carrying(to, SecurityStack.WrongCode(code)), _stack.SignatureSecret);
        await AcknowledgedAsync(wrong);
        // Verified, and wrong, but an SMS never uses up the operator's attempts.
        Assert.Equal(attempts, Onboardings.AttemptsLeft(await SecurityStack.WaitForVerifyOutcomeAsync(_stack, id)));

        await AcknowledgedAsync(wrong);
        await _stack.KillAndRestartHostAsync();
        await AcknowledgedAsync(wrong);

        // Events are taken in the order raised: once the right code is verified, both replays have been dealt with.
        var right = Recorded.Of(InboundSms.Carrying(to, code), _stack.SignatureSecret);
        await AcknowledgedAsync(right);
        var done = await Onboardings.WaitForEndAsync(_stack, id);
        Assert.Equal("READY", done.GetProperty("output").GetProperty("state").GetString());
        Assert.Equal("201=1, 422=1", SecurityStack.Render(await Onboardings.VerifyCallsAsync(_stack)));

        await AcknowledgedAsync(right);
        await _stack.KillAndRestartHostAsync();
        await AcknowledgedAsync(right);

        Assert.Equal("Completed", (await Onboardings.StatusAsync(_stack, id)).GetProperty("runtimeStatus").GetString());
        Assert.Equal("201=1, 422=1", SecurityStack.Render(await Onboardings.VerifyCallsAsync(_stack)));
        // The restarted host forgot the in-memory dedupe, so the wrong code's replay reached the orchestrator, which
        // dropped it as an already-taken delivery; the first replay of each message stopped at the in-memory dedupe.
        Assert.Equal(2, SecurityStack.Count(_stack.HostLogs, $"Inbound SMS {wrong.Sms.MessageId} delivered its code"));
        Assert.Equal(1, SecurityStack.Count(_stack.HostLogs, $"Inbound SMS {wrong.Sms.MessageId} from WhatsApp ignored: already delivered"));
    }

    private async Task AcknowledgedAsync(Recorded delivery)
    {
        using var request = delivery.Request();
        using var response = await _stack.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{delivery.Sms.MessageId}: {await Forgeries.DescribeAsync(response)}");
    }

    /// <summary>One signed delivery, kept byte for byte so it can be sent again.</summary>
    private sealed record Recorded(InboundSms Sms, byte[] Body, string Token)
    {
        public static Recorded Of(InboundSms sms, string secret)
        {
            var body = sms.JsonBody();
            return new(sms, body, WebhookJwt.For(body).Sign(secret));
        }

        public HttpRequestMessage Request() => InboundSms.Post(Body, Token);
    }
}
