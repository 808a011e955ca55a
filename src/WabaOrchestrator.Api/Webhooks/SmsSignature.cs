using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WabaOrchestrator.Api.Webhooks;

/// <summary>
/// The SMS API's signed messages (the <c>sig</c> parameter), as Vonage documents them: every parameter but
/// <c>sig</c>, sorted by name (ordinal), joined as <c>&amp;name=value</c> with any <c>&amp;</c> or <c>=</c> in a
/// value replaced by <c>_</c>; then <c>md5hash</c> is MD5 of that string with the secret appended, and
/// <c>md5</c>/<c>sha1</c>/<c>sha256</c>/<c>sha512</c> are HMACs of it keyed with the secret. Hex, compared without
/// regard to case. A <c>timestamp</c> (Unix seconds) is required and must be within the allowed skew.
/// </summary>
public static class SmsSignature
{
    public static string? Verify(IReadOnlyDictionary<string, string> parameters, string secret, string method, DateTimeOffset now, TimeSpan maxSkew)
    {
        if (!parameters.TryGetValue("sig", out var sig) || string.IsNullOrEmpty(sig))
        {
            return "The message has no sig parameter.";
        }

        if (!parameters.TryGetValue("timestamp", out var raw) || !long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || (now - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(timestamp, 0, 253402300799L))).Duration() > maxSkew)
        {
            return "The message's timestamp is missing or outside the allowed window.";
        }

        var expected = Sign(parameters, secret, method);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(sig.ToLowerInvariant()))
            ? null
            : "The sig parameter does not match.";
    }

    /// <summary>The lower-case hex signature of <paramref name="parameters"/> (any <c>sig</c> among them ignored).</summary>
    public static string Sign(IReadOnlyDictionary<string, string> parameters, string secret, string method)
    {
        var builder = new StringBuilder();
        foreach (var (name, value) in parameters.Where(p => p.Key != "sig").OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            builder.Append('&').Append(name).Append('=').Append(value.Replace('&', '_').Replace('=', '_'));
        }

        var data = Encoding.UTF8.GetBytes(builder.ToString());
        var key = Encoding.UTF8.GetBytes(secret);
        var hash = method switch
        {
            "md5hash" => MD5.HashData(Encoding.UTF8.GetBytes(builder.Append(secret).ToString())),
            "md5" => HMACMD5.HashData(key, data),
            "sha1" => HMACSHA1.HashData(key, data),
            "sha256" => HMACSHA256.HashData(key, data),
            "sha512" => HMACSHA512.HashData(key, data),
            _ => throw new ArgumentException($"Unknown SMS signature method '{method}'.", nameof(method)),
        };
        return Convert.ToHexStringLower(hash);
    }
}
