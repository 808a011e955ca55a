using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WabaOrchestrator.EndToEnd.Tests.Security;

/// <summary>
/// The SMS API's own message signature (<c>sig</c>), written from Vonage's description rather than taken from the
/// service: every parameter but <c>sig</c> sorted by name, joined as <c>&amp;name=value</c> (<c>&amp;</c> and
/// <c>=</c> in values as <c>_</c>); <c>md5hash</c> is MD5 of that with the secret appended, the others HMACs of it.
/// </summary>
public static class SmsSig
{
    /// <summary><paramref name="sms"/> with a <c>timestamp</c> (now unless given), a nonce and its <c>sig</c>.</summary>
    public static InboundSms Signed(InboundSms sms, string secret, string method = "md5hash", DateTimeOffset? timestamp = null)
    {
        var extra = new Dictionary<string, string>
        {
            ["timestamp"] = (timestamp ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["nonce"] = Guid.NewGuid().ToString(),
        };
        var unsigned = sms with { Extra = extra };
        extra["sig"] = Sign(unsigned.Fields(), secret, method);
        return sms with { Extra = extra };
    }

    public static string Sign(IReadOnlyDictionary<string, string> fields, string secret, string method)
    {
        var text = string.Concat(fields.Where(f => f.Key != "sig").OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => "&" + f.Key + "=" + f.Value.Replace('&', '_').Replace('=', '_')));
        var key = Encoding.UTF8.GetBytes(secret);
        var data = Encoding.UTF8.GetBytes(text);
        var hash = method switch
        {
            "md5hash" => MD5.HashData(Encoding.UTF8.GetBytes(text + secret)),
            "sha256" => HMACSHA256.HashData(key, data),
            "sha512" => HMACSHA512.HashData(key, data),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "md5hash, sha256 or sha512"),
        };
        return Convert.ToHexStringLower(hash);
    }
}
