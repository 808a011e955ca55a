using System.Net;
using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.EndToEnd.Tests.Security;

/// <summary>
/// Issue #14, item 4: a GET delivery's token signs only the empty body, and which query it was first used with lived
/// in the host's memory, so after a restart a captured token carried another number and code and raised them. Used
/// tokens are kept in the data directory's database now: the host that comes back (the next process on the same data
/// directory) refuses the replay and raises nothing.
/// </summary>
public sealed class WebhookTokenRestartTests : IAsyncLifetime
{
    private ProcessStack _stack = null!;

    public async Task InitializeAsync() => _stack = await ProcessStack.StartAsync(SecurityStack.Options());

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task CapturedGetToken_ReusedWithAnotherQueryAfterAHostRestart_Is401_AndRaisesNothing()
    {
        const string number = "7700900403";
        var id = await Onboardings.StartAsync(_stack, SecurityStack.Voice(number));
        var (_, code) = await Onboardings.WaitForOtpAsync(_stack, id);

        // Captured on its way: a genuine GET delivery for a number nobody onboards (acknowledged, nothing raised).
        var token = WebhookJwt.For([]).Sign(_stack.SignatureSecret);
        using (var first = InboundSms.Carrying("447700900999", "000000").Get(token))
        using (var response = await _stack.Client.SendAsync(first))
        {
            Assert.True(response.StatusCode == HttpStatusCode.NoContent, await Forgeries.DescribeAsync(response));
        }

        await _stack.KillAndRestartHostAsync();

        // The same token, now carrying the onboarding's number and its real code.
        using (var replay = InboundSms.Carrying("44" + number, code).Get(token))
        using (var response = await _stack.Client.SendAsync(replay))
        {
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, await Forgeries.DescribeAsync(response));
        }

        // Events reach the workflow in order: once the cancel sent after the replay is handled, a raised code would have
        // been too, and the real code would have completed the onboarding instead.
        using (var cancel = await _stack.Client.DeleteAsync($"api/onboardings/{id}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        var done = await Onboardings.WaitForEndAsync(_stack, id);
        Assert.Equal("Cancelled", Onboardings.Stage(done));
        Assert.Empty(await Onboardings.VerifyCallsAsync(_stack));
        Assert.Contains("Inbound-SMS webhook refused: This signed token was already used with another request.", _stack.HostLogs, StringComparison.Ordinal);
    }
}
