using System.Text.RegularExpressions;

namespace WabaOrchestrator.Api.Webhooks;

/// <summary>Finds the verification code in an SMS such as "Your WhatsApp code is 123-456" or "… 123456 …".</summary>
public static partial class OtpText
{
    /// <summary>The six digits, or null when the text holds no standalone 6-digit code (written 123456, 123-456 or 123 456).</summary>
    public static string? Extract(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var match = Code().Match(text);
        return match.Success ? match.Groups[1].Value + match.Groups[2].Value : null;
    }

    [GeneratedRegex(@"(?<![\d-])(\d{3})[- ]?(\d{3})(?![\d-])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Code();
}
