using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WabaOrchestrator.Onboarding.Callbacks;

/// <summary>
/// <c>X-Waba-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;</c>, the scheme Stripe popularised:
/// the timestamp inside the MAC lets receivers refuse replays.
/// </summary>
public static class CallbackSignature
{
    public const string HeaderName = "X-Waba-Signature";

    public static string Create(ReadOnlySpan<byte> secret, DateTimeOffset at, ReadOnlySpan<byte> body)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Compute(secret, t, body)}";
    }

    /// <summary>Checks a header against the body, refusing timestamps further than <paramref name="tolerance"/> from <paramref name="now"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        string? t = null;
        string? v1 = null;
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length == 2 && kv[0].Trim() == "t")
            {
                t = kv[1].Trim();
            }
            else if (kv.Length == 2 && kv[0].Trim() == "v1")
            {
                v1 = kv[1].Trim();
            }
        }

        if (t is null || v1 is null || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var unix))
        {
            return false;
        }

        if ((now - DateTimeOffset.FromUnixTimeSeconds(unix)).Duration() > tolerance)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(secret, t, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(v1.ToLowerInvariant()));
    }

    private static string Compute(ReadOnlySpan<byte> secret, string t, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(t + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(secret, message));
    }
}
