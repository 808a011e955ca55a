using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using WabaOrchestrator.Testing;
using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.EndToEnd.Tests.Security;

/// <summary>What the security tests share: the stack's settings, requests, signed deliveries and waits.</summary>
public static class SecurityStack
{
    /// <summary>
    /// The process stack with an OTP window far longer than a test, so no resend replaces the code a test holds
    /// (the stack's 5 s default could expire across a kill and restart on a loaded machine).
    /// </summary>
    public static ProcessStackOptions Options(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?> { ["Onboarding:OtpWindow"] = "00:30:00" };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return new ProcessStackOptions { HostSettings = settings };
    }

    public static object Voice(string number, string certificate = "e2e-security-cert") => new
    {
        country_code = "44",
        number,
        vname_certificate = certificate,
        method = "voice",
        waba_id = "123456",
    };

    /// <summary>An sms onboarding: the sandbox texts its code to the inbound-SMS webhook.</summary>
    public static object Sms(string number, string certificate = "e2e-security-cert") => new
    {
        country_code = "44",
        number,
        vname_certificate = certificate,
        method = "sms",
        waba_id = "123456",
    };

    /// <summary>A JSON delivery of <paramref name="sms"/> signed as Vonage signs it.</summary>
    public static HttpRequestMessage Signed(InboundSms sms, string secret)
    {
        var body = sms.JsonBody();
        return InboundSms.Post(body, WebhookJwt.For(body).Sign(secret));
    }

    /// <summary>Another 6-digit code than <paramref name="code"/>.</summary>
    public static string WrongCode(string code) =>
        ((int.Parse(code, CultureInfo.InvariantCulture) + 111_111) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>
    /// The status once Vonage has answered <paramref name="verifyCalls"/> verify calls in all and the orchestrator has
    /// taken the last answer in (it is no longer Verifying): the status then reflects every code raised before.
    /// </summary>
    public static async Task<JsonElement> WaitForVerifyOutcomeAsync(ProcessStack stack, string id, int verifyCalls = 1) =>
        (JsonElement)await Poll.UntilAsync<object>(
            async () =>
            {
                if ((await Onboardings.VerifyCallsAsync(stack)).Values.Sum() < verifyCalls)
                {
                    return null;
                }

                var status = await Onboardings.StatusAsync(stack, id);
                return Onboardings.Stage(status) == "Verifying" ? null : status;
            },
            $"{verifyCalls} verify call(s) for {id} to be answered and taken in",
            Onboardings.Deadline);

    /// <summary>The status once the onboarding waits for a code again with <paramref name="attemptsLeft"/> attempts left.</summary>
    public static async Task<JsonElement> WaitForAttemptsAsync(ProcessStack stack, string id, int attemptsLeft) =>
        (JsonElement)await Poll.UntilAsync<object>(
            async () =>
            {
                var status = await Onboardings.StatusAsync(stack, id);
                return Onboardings.Stage(status) == "WaitingForOtp" && Onboardings.AttemptsLeft(status) == attemptsLeft ? status : null;
            },
            $"{id} to wait for a code with {attemptsLeft} attempt(s) left",
            Onboardings.Deadline);

    /// <summary>The status once the onboarding has recorded a code with <paramref name="verdict"/> and waits for a code again.</summary>
    public static async Task<JsonElement> WaitForVerdictAsync(ProcessStack stack, string id, string verdict) =>
        (JsonElement)await Poll.UntilAsync<object>(
            async () =>
            {
                var status = await Onboardings.StatusAsync(stack, id);
                var timeline = await stack.Client.GetFromJsonAsync<JsonElement>($"api/onboardings/{id}/timeline");
                var entries = timeline.GetProperty("timeline").GetProperty("entries").EnumerateArray();
                return Onboardings.Stage(status) == "WaitingForOtp"
                    && entries.Any(e => e.GetProperty("kind").GetString() == "otp_received" && e.TryGetProperty("verdict", out var v) && v.GetString() == verdict)
                    ? status
                    : null;
            },
            $"{id} to record a {verdict} code and wait again",
            Onboardings.Deadline);

    /// <summary>Verify answers as "status=count" pairs in status order, for readable equality.</summary>
    public static string Render(IReadOnlyDictionary<string, int> calls) =>
        string.Join(", ", calls.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));

    public static int Count(string text, string needle)
    {
        var count = 0;
        for (var at = text.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = text.IndexOf(needle, at + needle.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
