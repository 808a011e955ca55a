using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace WabaOrchestrator.EndToEnd.Tests.Security;

/// <summary>The leak scanner finds each form a leak can take, so a clean scan in the end-to-end test means something.</summary>
public sealed class LeakScannerTests
{
    private const string Certificate = "cert+<a1b2>&'\"vname";
    private const string Code = "481516";

    private static readonly string Pem = NewPem();

    private readonly LeakScanner _scanner = new([("cert", Certificate), ("code", Code), ("dashed", "481-516")], [("key", Pem)]);

    [Fact]
    public void PlainUtf8_IsFound()
    {
        Assert.Equal(["cert (plain)"], Labels(_scanner.Scan("f", Bytes($"xx{Certificate}yy"))));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Utf16_AtEitherByteAlignment_IsFound(int padding)
    {
        byte[] bytes = [.. new byte[padding], .. Encoding.Unicode.GetBytes(Certificate), .. Encoding.BigEndianUnicode.GetBytes("x" + Certificate)];

        var found = _scanner.Scan("f", bytes);

        Assert.Contains(found, f => f.Label == "cert" && f.Where.Contains("utf-16le", StringComparison.Ordinal));
        Assert.Contains(found, f => f.Label == "cert" && f.Where.Contains("utf-16be", StringComparison.Ordinal));
    }

    [Fact]
    public void JsonEscaped_IsFound_ByDefaultAndRelaxedEncoders_AndEscapedTwice()
    {
        var strict = JsonSerializer.Serialize(new { c = Certificate });
        var relaxed = JsonSerializer.Serialize(new { c = Certificate }, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var nested = JsonSerializer.Serialize(new { payload = strict });

        Assert.DoesNotContain(Certificate, strict, StringComparison.Ordinal);
        Assert.Equal(["cert (json)"], Labels(_scanner.ScanText("t", strict)));
        Assert.Equal(["cert (json-relaxed)"], Labels(_scanner.ScanText("t", relaxed)));
        Assert.Equal(["cert (json-in-json)"], Labels(_scanner.ScanText("t", nested)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("ab")]
    public void Base64_AtEveryAlignment_IsFound(string prefix)
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(prefix + Certificate + "tail"));

        Assert.Contains("cert", Labels(_scanner.ScanText("t", "token=" + encoded)).Select(l => l.Split(' ')[0]));
        Assert.Contains("cert", Labels(_scanner.ScanText("t", encoded.Replace('+', '-').Replace('/', '_'))).Select(l => l.Split(' ')[0]));
    }

    [Theory]
    [InlineData("code=481516;")]
    [InlineData("{\"code\":\"481516\"}")]
    [InlineData("Your WhatsApp code is 481-516")]
    [InlineData("x481516")]
    public void Codes_StandingAlone_AreFound(string text)
    {
        Assert.NotEmpty(_scanner.ScanText("t", text));
    }

    [Theory]
    [InlineData("2026-11-22T06:52:53.4815167Z")]
    [InlineData("ticks 94815160")]
    [InlineData("1-481-5160")]
    public void Codes_InsideLongerNumbers_AreNotFound(string text)
    {
        Assert.Empty(_scanner.ScanText("t", text));
    }

    [Fact]
    public void PrivateKey_IsFound_ByAnyFortyCharacterRunOfItsBody_AlsoJsonEscaped()
    {
        var body = Pem.Split('\n')[3];
        var serialized = JsonSerializer.Serialize(new { key = Pem });

        Assert.Equal(["key (pem-body)"], Labels(_scanner.ScanText("t", "log: " + body[7..47] + " end")));
        Assert.Equal(["key (pem-body)"], Labels(_scanner.ScanText("t", serialized)));
        Assert.Empty(_scanner.ScanText("t", body[7..46]));
        Assert.Empty(_scanner.ScanText("t", NewPem()));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string[] Labels(IEnumerable<Finding> findings) =>
        findings.Select(f => $"{f.Label} ({f.Form})").Distinct().Order(StringComparer.Ordinal).ToArray();

    private static string NewPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }
}
