using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace WabaOrchestrator.EndToEnd.Tests.Security;

/// <summary>
/// Looks for secrets in files, logs and API answers, in the forms a leak would take: plain, JSON-escaped (default
/// and relaxed encoders, and escaped twice, as a JSON document stored inside a JSON string is), and base64/base64url
/// at each of the three byte alignments a secret can have inside a longer encoded value. Bytes are decoded as UTF-8
/// and as UTF-16 (both byte orders, both alignments) before searching. A secret made only of digits and dashes (a
/// PIN, an OTP) counts only where no digit touches it, so a code is not "found" inside a timestamp's fraction or a
/// longer number. A PEM private key is found by any 40-character run of its base64 body after the first line.
/// </summary>
public sealed class LeakScanner
{
    private const int KeyWindow = 40;

    private readonly List<Needle> _needles = [];
    private readonly Dictionary<string, string> _keyWindows = new(StringComparer.Ordinal);

    /// <param name="secrets">What to look for, each with a label that names it in findings (never the value).</param>
    /// <param name="privateKeys">PEM keys, labelled, found by any 40-character run of their base64 body.</param>
    public LeakScanner(IEnumerable<(string Label, string Value)> secrets, IEnumerable<(string Label, string Pem)> privateKeys)
    {
        foreach (var (label, value) in secrets)
        {
            Add(label, value);
        }

        foreach (var (label, pem) in privateKeys)
        {
            AddKey(label, pem);
        }
    }

    /// <summary>The labels found in <paramref name="bytes"/> (e.g. a file), each with the form and decoding it was found in.</summary>
    public IReadOnlyList<Finding> Scan(string where, byte[] bytes)
    {
        var findings = new List<Finding>();
        findings.AddRange(ScanText(where + " [utf-8]", Encoding.UTF8.GetString(bytes)));
        for (var offset = 0; offset < 2 && offset < bytes.Length; offset++)
        {
            findings.AddRange(ScanText($"{where} [utf-16le+{offset}]", Encoding.Unicode.GetString(bytes, offset, bytes.Length - offset)));
            findings.AddRange(ScanText($"{where} [utf-16be+{offset}]", Encoding.BigEndianUnicode.GetString(bytes, offset, bytes.Length - offset)));
        }

        return findings;
    }

    /// <summary>The labels found in <paramref name="text"/> (logs, an API answer).</summary>
    public IReadOnlyList<Finding> ScanText(string where, string text)
    {
        var findings = new List<Finding>();
        foreach (var needle in _needles)
        {
            if (Contains(text, needle))
            {
                findings.Add(new(needle.Label, needle.Form, where));
            }
        }

        if (_keyWindows.Count > 0)
        {
            findings.AddRange(KeyRuns(where, text));
        }

        return findings;
    }

    private void Add(string label, string value)
    {
        var forms = new List<(string Form, string Text)>
        {
            ("plain", value),
            ("json", JsonEncodedText.Encode(value).Value),
            ("json-relaxed", JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value),
            ("json-in-json", JsonEncodedText.Encode(JsonEncodedText.Encode(value).Value).Value),
        };
        var bytes = Encoding.UTF8.GetBytes(value);
        for (var skip = 0; skip < 3 && skip < bytes.Length; skip++)
        {
            var whole = (bytes.Length - skip) / 3 * 3;
            var encoded = Convert.ToBase64String(bytes, skip, whole);
            // Short fragments of other alignments would match by chance; the aligned encoding of a 6-digit code is 8 characters.
            if (encoded.Length >= (skip == 0 ? 8 : 12))
            {
                forms.Add(($"base64+{skip}", encoded));
                forms.Add(($"base64url+{skip}", encoded.Replace('+', '-').Replace('/', '_')));
            }
        }

        var digitBounded = value.All(c => char.IsAsciiDigit(c) || c is '-' or ' ') && char.IsAsciiDigit(value[0]) && char.IsAsciiDigit(value[^1]);
        foreach (var (form, text) in forms.DistinctBy(f => f.Text))
        {
            _needles.Add(new(label, form, text, digitBounded && form is "plain"));
        }
    }

    private void AddKey(string label, string pem)
    {
        // The first line is mostly the ASN.1 structure every RSA key of that size shares, so it names no key.
        var lines = pem.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).Skip(1).ToList();
        foreach (var run in lines.Append(string.Concat(lines)))
        {
            for (var start = 0; start + KeyWindow <= run.Length; start++)
            {
                _keyWindows.TryAdd(run.Substring(start, KeyWindow), label);
            }
        }
    }

    /// <summary>Runs of the base64 alphabet (JSON's escapes of '+' and '/' undone) checked window by window.</summary>
    private List<Finding> KeyRuns(string where, string text)
    {
        var findings = new List<Finding>();
        var normalized = text.Replace("\\u002B", "+", StringComparison.OrdinalIgnoreCase).Replace("\\/", "/", StringComparison.Ordinal);
        var windows = _keyWindows.GetAlternateLookup<ReadOnlySpan<char>>();
        var found = new HashSet<string>(StringComparer.Ordinal);
        var start = 0;
        for (var i = 0; i <= normalized.Length; i++)
        {
            if (i < normalized.Length && (char.IsAsciiLetterOrDigit(normalized[i]) || normalized[i] is '+' or '/'))
            {
                continue;
            }

            for (var at = start; at + KeyWindow <= i; at++)
            {
                if (windows.TryGetValue(normalized.AsSpan(at, KeyWindow), out var label) && found.Add(label))
                {
                    findings.Add(new(label, "pem-body", where));
                }
            }

            start = i + 1;
        }

        return findings;
    }

    private static bool Contains(string text, Needle needle)
    {
        for (var at = text.IndexOf(needle.Text, StringComparison.Ordinal); at >= 0; at = text.IndexOf(needle.Text, at + 1, StringComparison.Ordinal))
        {
            var end = at + needle.Text.Length;
            if (!needle.DigitBounded || ((at == 0 || !char.IsAsciiDigit(text[at - 1])) && (end == text.Length || !char.IsAsciiDigit(text[end]))))
            {
                return true;
            }
        }

        return false;
    }

    private sealed record Needle(string Label, string Form, string Text, bool DigitBounded);
}

/// <summary>A secret (by label, never its value) found in <paramref name="Where"/>, in the given form.</summary>
public sealed record Finding(string Label, string Form, string Where)
{
    public override string ToString() => $"{Label} ({Form}) in {Where}";
}
