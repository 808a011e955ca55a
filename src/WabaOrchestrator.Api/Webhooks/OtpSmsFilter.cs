using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Onboarding;

namespace WabaOrchestrator.Api.Webhooks;

/// <summary>
/// Tells WhatsApp's registration SMS from any other text to the number (<see cref="OtpSmsOptions"/>), and counts what
/// it turns away so the logs show how many were ignored.
/// </summary>
public sealed class OtpSmsFilter
{
    public const RegexOptions PatternOptions = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    private readonly Regex _pattern;
    private readonly HashSet<string> _senders;
    private readonly bool _anySender;
    private long _ignored;

    public OtpSmsFilter(IOptions<WebhookOptions> options)
    {
        var settings = options.Value.OtpSms;
        _pattern = new Regex(settings.TextPattern, PatternOptions, settings.MatchTimeout);
        var senders = OtpSmsOptions.ParseSenders(settings.Senders);
        _anySender = senders.Contains(OtpSmsOptions.AnySender);
        _senders = new HashSet<string>(senders, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Inbound SMS ignored since start (any reason: not WhatsApp's, no onboarding, duplicate, …).</summary>
    public long Ignored => Interlocked.Read(ref _ignored);

    /// <summary>The 6-digit code, or null and why the SMS is not WhatsApp's code message (never quoting the text).</summary>
    public (string? Code, string? Reason) Extract(string? sender, string? text)
    {
        if (!_anySender && (sender is null || !_senders.Contains(sender.Trim().TrimStart('+'))))
        {
            return (null, "the sender is not one WhatsApp sends codes from (Webhooks:OtpSms:Senders)");
        }

        if (string.IsNullOrEmpty(text))
        {
            return (null, "the text is empty");
        }

        Match match;
        try
        {
            match = _pattern.Match(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return (null, "matching the text took longer than Webhooks:OtpSms:MatchTimeout");
        }

        return match.Success && OnboardingStarter.TryNormalizeOtp(match.Groups[OtpSmsOptions.CodeGroup].Value) is { } code
            ? (code, null)
            : (null, "the text is not WhatsApp's code message (Webhooks:OtpSms:TextPattern)");
    }

    /// <summary>Counts one ignored SMS; returns the count so far.</summary>
    public long CountIgnored() => Interlocked.Increment(ref _ignored);
}
