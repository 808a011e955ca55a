using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WabaOrchestrator.Testing;
using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.EndToEnd.Tests.Reliability;

/// <summary>
/// Plays the operator of voice numbers: the sandbox "calls" their codes instead of texting the webhook, so someone
/// reads each code (from the sandbox's control endpoint) and types it in through the API, once per code sent.
/// </summary>
internal sealed class VoiceOperator(ProcessStack stack, Fleet fleet)
{
    private readonly HashSet<string> _pending = [.. fleet.Members.Where(m => m.Method == "voice").Select(m => m.InstanceId)];
    private readonly Dictionary<string, string> _typed = new(StringComparer.Ordinal);

    /// <summary>How many onboardings got a code typed in.</summary>
    public int NumbersAnswered => _typed.Count;

    /// <summary>Answers every voice onboarding until each has finished.</summary>
    public async Task RunAsync(TimeSpan timeout)
    {
        try
        {
            await Poll.UntilAsync(PassAsync, $"{_pending.Count} voice onboardings to be answered and finish", timeout);
        }
        catch (TimeoutException e)
        {
            Assert.Fail(fleet.Describe($"{e.Message} Unfinished: {string.Join(", ", _pending)}", (await fleet.StatusesAsync()).Values));
        }
    }

    private async Task<bool> PassAsync()
    {
        foreach (var id in _pending.ToList())
        {
            try
            {
                await AnswerAsync(id);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
            {
                // Not started yet (404), or the host died mid-answer or is down until its restart: try again next pass.
            }
        }

        return _pending.Count == 0;
    }

    private async Task AnswerAsync(string id)
    {
        var status = await stack.Client.GetFromJsonAsync<JsonElement>($"api/onboardings/{id}");
        if (Fleet.RuntimeStatus(status) is not ("Running" or "Pending"))
        {
            _pending.Remove(id);
            return;
        }

        if (Fleet.CustomStatus(status, "stage") != "WaitingForOtp" || Fleet.CustomStatus(status, "deployment_id") is not { } deploymentId)
        {
            return;
        }

        using var otp = await stack.SandboxClient.GetAsync($"_sandbox/deployments/{deploymentId}/otp");
        if (!otp.IsSuccessStatusCode)
        {
            return;
        }

        var code = (await otp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        if (_typed.GetValueOrDefault(id) == code)
        {
            return;
        }

        // Typed once per code: an accepted code (202) must never need typing again, whatever happens to the host after.
        using var typed = await stack.Client.PostAsJsonAsync($"api/onboardings/{id}/otp", new { code });
        if (typed.StatusCode == HttpStatusCode.Conflict)
        {
            return;
        }

        Assert.True(typed.IsSuccessStatusCode, $"Typing the code of {id} answered {(int)typed.StatusCode}: {await typed.Content.ReadAsStringAsync()}");
        _typed[id] = code;
    }
}
