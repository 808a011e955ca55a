using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace WabaOrchestrator.Api.Webhooks;

/// <summary>
/// Which inbound SMS are WhatsApp's registration message (<c>Webhooks:OtpSms:*</c>); any other SMS to a number being
/// onboarded is acknowledged and ignored, so a stranger texting the number cannot spend its verification attempts.
/// </summary>
public sealed class OtpSmsOptions
{
    /// <summary>
    /// WhatsApp sends its code from the alphanumeric sender id "WhatsApp" wherever carriers pass alphanumeric ids; where
    /// they do not (the US, Canada, …) it uses local short codes or numbers, which an operator adds here.
    /// </summary>
    public const string DefaultSenders = "WhatsApp";

    /// <summary>
    /// WhatsApp's code message as it sends it in English: "Your WhatsApp code: 123-456", "Your WhatsApp Business code
    /// 123-456", "WhatsApp code is 123 456", optionally after the "&lt;#&gt;" Android SMS-retriever prefix, whatever follows.
    /// </summary>
    public const string DefaultTextPattern = @"\A\s*(?:<#>\s*)?(?:Your\s+)?WhatsApp(?:\s+Business)?\s+code(?:\s+is)?\s*:?\s*(?<code>\d{3}[- ]?\d{3})(?!\d)";

    /// <summary>The group of <see cref="TextPattern"/> that holds the code.</summary>
    public const string CodeGroup = "code";

    /// <summary>Any sender (only the text pattern decides), as <see cref="Senders"/>' single entry.</summary>
    public const string AnySender = "*";

    /// <summary>Comma-separated sender ids (the delivery's <c>msisdn</c>), compared ignoring case and a leading '+'; "*" for any.</summary>
    public string Senders { get; set; } = DefaultSenders;

    /// <summary>A .NET regular expression (case-insensitive) with a group named <c>code</c> holding the 6 digits (123456, 123-456 or 123 456).</summary>
    public string TextPattern { get; set; } = DefaultTextPattern;

    /// <summary>How long one match may run before the SMS is ignored (a guard against catastrophic patterns).</summary>
    public TimeSpan MatchTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    public static IReadOnlyList<string> ParseSenders(string? senders) =>
        (senders ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.TrimStart('+')).Where(s => s.Length > 0).ToArray();
}

/// <summary>Refuses to start with a sender list that accepts nothing or a pattern that cannot yield a code.</summary>
public sealed class OtpSmsOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var sms = options.OtpSms;
        var failures = new List<string>();
        if (OtpSmsOptions.ParseSenders(sms.Senders).Count == 0)
        {
            failures.Add($"Webhooks:OtpSms:Senders must name at least one sender id (comma-separated), or \"{OtpSmsOptions.AnySender}\" for any.");
        }

        if (sms.MatchTimeout <= TimeSpan.Zero || sms.MatchTimeout > TimeSpan.FromSeconds(10))
        {
            failures.Add("Webhooks:OtpSms:MatchTimeout must be more than 0 and at most 00:00:10.");
        }
        else if (string.IsNullOrWhiteSpace(sms.TextPattern))
        {
            failures.Add("Webhooks:OtpSms:TextPattern must be a regular expression with a group named 'code'.");
        }
        else
        {
            try
            {
                if (Array.IndexOf(new Regex(sms.TextPattern, OtpSmsFilter.PatternOptions, sms.MatchTimeout).GetGroupNames(), OtpSmsOptions.CodeGroup) < 0)
                {
                    failures.Add("Webhooks:OtpSms:TextPattern has no group named 'code', e.g. (?<code>\\d{3}-?\\d{3}).");
                }
            }
            catch (ArgumentException e)
            {
                failures.Add($"Webhooks:OtpSms:TextPattern is not a valid regular expression: {e.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
