using System.Net.Http.Json;
using System.Text.Json;
using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.EndToEnd.Tests.Security;

/// <summary>
/// Issue #14, item 1: anyone who can text the number sent 5 correctly signed SMS ("hello 000001", …) right after an
/// onboarding started, each verified as a wrong code, until it failed with its deployment deleted and the real code,
/// sixth, never checked. Only WhatsApp's code message from its sender ids is a code now: the rest is acknowledged and
/// ignored, and the onboarding keeps waiting for the real one.
/// </summary>
public sealed class OtpSpoofingTests : IAsyncLifetime
{
    private const int Spoofs = 5;

    private ProcessStack _stack = null!;

    // The sandbox holds its own delivery of the real code back, so the test decides when it arrives: sixth.
    public async Task InitializeAsync() => _stack = await ProcessStack.StartAsync(SecurityStack.Options() with
    {
        SandboxSettings = new Dictionary<string, string?> { ["Sandbox:InboundSms:Delay"] = "01:00:00" },
    });

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task SignedSmsFromAnotherSender_LeaveTheOnboardingWaiting_AndTheRealCodeThenCompletesIt() =>
        await SpoofedThenRealAsync("7700900401", i => new InboundSms("", $"hello {i:D6}", "") { Sender = "447700900666" }, "the sender is not one WhatsApp sends codes from");

    [Fact]
    public async Task SignedSmsFromWhatsAppsSenderThatAreNotItsCodeMessage_LeaveTheOnboardingWaiting_AndTheRealCodeThenCompletesIt() =>
        await SpoofedThenRealAsync("7700900402", i => new InboundSms("", $"hello {i:D6}", ""), "the text is not WhatsApp's code message");

    private async Task SpoofedThenRealAsync(string number, Func<int, InboundSms> spoof, string reason)
    {
        var to = "44" + number;
        var id = await Onboardings.StartAsync(_stack, SecurityStack.Sms(number));
        var (deploymentId, code) = await Onboardings.WaitForOtpAsync(_stack, id);
        var attempts = Onboardings.AttemptsLeft(await Onboardings.StatusAsync(_stack, id));

        var spoofs = Enumerable.Range(1, Spoofs).Select(i => spoof(i) with { To = to, MessageId = Guid.NewGuid().ToString("N") }).ToList();
        foreach (var sms in spoofs)
        {
            using var request = SecurityStack.Signed(sms, _stack.SignatureSecret);
            using var response = await _stack.Client.SendAsync(request);
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.NoContent, $"{sms.Text}: {await Forgeries.DescribeAsync(response)}");
        }

        var waiting = await Onboardings.StatusAsync(_stack, id);
        Assert.Equal(("Running", "WaitingForOtp", attempts), (waiting.GetProperty("runtimeStatus").GetString(), Onboardings.Stage(waiting), Onboardings.AttemptsLeft(waiting)));
        Assert.Empty(await Onboardings.VerifyCallsAsync(_stack));
        Assert.NotEqual("DELETED", await DeploymentStateAsync(deploymentId));
        foreach (var sms in spoofs)
        {
            Assert.Equal(1, SecurityStack.Count(_stack.HostLogs, $"Inbound SMS {sms.MessageId} from {sms.Sender} ignored: {reason}"));
        }

        Assert.DoesNotContain("hello 00000", _stack.HostLogs, StringComparison.Ordinal);

        // The real code, sixth, as WhatsApp texts it: the first and only one Vonage is asked to verify.
        using (var real = SecurityStack.Signed(InboundSms.Carrying(to, code), _stack.SignatureSecret))
        using (var response = await _stack.Client.SendAsync(real))
        {
            Assert.True(response.IsSuccessStatusCode, await Forgeries.DescribeAsync(response));
        }

        var done = await Onboardings.WaitForEndAsync(_stack, id);
        Assert.Equal(("Completed", "READY"), (done.GetProperty("runtimeStatus").GetString(), done.GetProperty("output").GetProperty("state").GetString()));
        Assert.Equal("201=1", SecurityStack.Render(await Onboardings.VerifyCallsAsync(_stack)));
    }

    private async Task<string?> DeploymentStateAsync(string deploymentId)
    {
        var deployment = await _stack.Client.GetFromJsonAsync<JsonElement>($"api/deployments/{deploymentId}");
        return deployment.GetProperty("current_state").GetProperty("title").GetString();
    }
}
