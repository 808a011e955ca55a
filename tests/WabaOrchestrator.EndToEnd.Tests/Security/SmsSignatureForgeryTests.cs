using System.Net;
using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.EndToEnd.Tests.Security;

/// <summary>
/// Issue #8 with the optional second check on: the SMS API's <c>sig</c> parameter. Every delivery here carries a
/// VALID signed-webhook JWT, so only the <c>sig</c> check stands between the real code and the onboarding.
/// </summary>
public sealed class SmsSignatureForgeryTests : IAsyncLifetime
{
    private const string SmsSecret = "e2e-sms-signature-secret";

    private ProcessStack _stack = null!;

    public async Task InitializeAsync() =>
        _stack = await ProcessStack.StartAsync(SecurityStack.Options(("Webhooks:SmsSignature:Secret", SmsSecret), ("Webhooks:SmsSignature:Method", "md5hash")));

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task DeliveriesWithAMissingWrongOrStaleSig_AreRefused_AndRaiseNoEvent_WhileASignedOneVerifies()
    {
        const string number = "7700900303";
        var to = "44" + number;
        var id = await Onboardings.StartAsync(_stack, SecurityStack.Voice(number));
        var (_, code) = await Onboardings.WaitForOtpAsync(_stack, id);
        var attempts = Onboardings.AttemptsLeft(await Onboardings.StatusAsync(_stack, id));

        InboundSms Sms() => InboundSms.Carrying(to, code);
        var valid = SmsSig.Signed(Sms(), SmsSecret);
        var forgeries = new (string Name, InboundSms Sms)[]
        {
            ("no sig", Sms()),
            ("sig with another secret", SmsSig.Signed(Sms(), "not-the-sms-secret")),
            ("sig by another method (HMAC-SHA256)", SmsSig.Signed(Sms(), SmsSecret, "sha256")),
            ("sig 10 minutes old", SmsSig.Signed(Sms(), SmsSecret, timestamp: DateTimeOffset.UtcNow.AddMinutes(-10))),
            ("sig 10 minutes ahead", SmsSig.Signed(Sms(), SmsSecret, timestamp: DateTimeOffset.UtcNow.AddMinutes(10))),
            ("sig without its timestamp", valid with { Extra = valid.Extra.Where(e => e.Key != "timestamp").ToDictionary() }),
            ("text changed after signing", valid with { Text = valid.Text + " " }),
            ("sig of another message", SmsSig.Signed(Sms(), SmsSecret) with { Extra = valid.Extra }),
        };

        foreach (var (name, sms) in forgeries)
        {
            using var request = SecurityStack.Signed(sms, _stack.SignatureSecret);
            using var response = await _stack.Client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name}: {await Forgeries.DescribeAsync(response)}");
        }

        // The barrier (see WebhookForgeryTests), sent as a form with both signatures to show forms pass the sig check.
        var barrier = SmsSig.Signed(InboundSms.Carrying(to, SecurityStack.WrongCode(code)), SmsSecret);
        var form = barrier.FormBody();
        using (var request = InboundSms.Post(form, WebhookJwt.For(form).Sign(_stack.SignatureSecret), "application/x-www-form-urlencoded"))
        using (var response = await _stack.Client.SendAsync(request))
        {
            Assert.True(response.StatusCode == HttpStatusCode.NoContent, await Forgeries.DescribeAsync(response));
        }

        var afterBarrier = await SecurityStack.WaitForVerifyOutcomeAsync(_stack, id);
        // Verified and wrong; an SMS never uses up the operator's attempts.
        Assert.Equal(attempts, Onboardings.AttemptsLeft(afterBarrier));
        Assert.Equal("422=1", SecurityStack.Render(await Onboardings.VerifyCallsAsync(_stack)));
        Assert.Equal(forgeries.Length, SecurityStack.Count(_stack.HostLogs, "Inbound-SMS webhook refused"));

        using (var request = SecurityStack.Signed(valid, _stack.SignatureSecret))
        using (var response = await _stack.Client.SendAsync(request))
        {
            Assert.True(response.StatusCode == HttpStatusCode.NoContent, await Forgeries.DescribeAsync(response));
        }

        var done = await Onboardings.WaitForEndAsync(_stack, id);
        Assert.Equal("READY", done.GetProperty("output").GetProperty("state").GetString());
        Assert.Equal("201=1, 422=1", SecurityStack.Render(await Onboardings.VerifyCallsAsync(_stack)));
    }
}
