using System.Text;
using static WabaOrchestrator.EndToEnd.Tests.BadInput.Requests;

namespace WabaOrchestrator.EndToEnd.Tests.BadInput;

/// <summary>
/// Media uploads refused before Vonage is called: no or unsupported <c>file_type</c>, a body that is not multipart,
/// no <c>mediafile</c> file part, multipart broken before that part, and a declared size over <c>Proxies:MaxUploadBytes</c>.
/// </summary>
public static class MediaCorpus
{
    private const string Upload = "/api/media/uploads";
    private const string Boundary = "corpus-boundary";
    private const string Multipart = "multipart/form-data; boundary=" + Boundary;

    /// <summary>A well-formed upload of a (fake) PNG; only the case's one flaw keeps it from Vonage.</summary>
    public static string ValidMultipart =>
        $"--{Boundary}\r\nContent-Disposition: form-data; name=\"mediafile\"; filename=\"logo.png\"\r\nContent-Type: image/png\r\n\r\n\u0089PNG\r\n--{Boundary}--\r\n";

    public static IEnumerable<BadRequestCase> Cases(CorpusContext c)
    {
        var png = $"{Upload}?file_type=image/png";
        yield return Keyed(c, "upload: no file_type", "POST", Upload, ValidMultipart, 422, Multipart);
        foreach (var type in new[] { "image/gif", "application/pdf", "image%2Fpng%00", "IMAGE", "..%2F..%2Fetc%2Fpasswd", Encode("image/png\u200b") })
        {
            yield return Keyed(c, $"upload: file_type {type}", "POST", $"{Upload}?file_type={type}", ValidMultipart, 422, Multipart);
        }

        yield return Keyed(c, "upload: JSON body", "POST", png, "{\"mediafile\":\"iVBORw0KGgo=\"}", 422);
        yield return Keyed(c, "upload: text/plain body", "POST", png, "PNG bytes", 422, "text/plain");
        yield return Keyed(c, "upload: form-urlencoded body", "POST", png, "mediafile=abc", 422, "application/x-www-form-urlencoded");
        yield return new("upload: no content type", "POST", png, [Key(c.ApiKey)], RequestBody.Of(ValidMultipart), 422);
        yield return new("upload: no body", "POST", png, [Key(c.ApiKey)], null, 422);
        yield return Keyed(c, "upload: multipart without boundary", "POST", png, ValidMultipart, 422, "multipart/form-data");
        yield return Keyed(c, "upload: multipart with empty boundary", "POST", png, ValidMultipart, 422, "multipart/form-data; boundary=\"\"");
        yield return Keyed(c, "upload: multipart with a 201-char boundary", "POST", png, ValidMultipart, 422, "multipart/form-data; boundary=" + Repeat('b', 201));
        yield return Keyed(c, "upload: multipart/mixed", "POST", png, ValidMultipart, 422, "multipart/mixed; boundary=" + Boundary);
        yield return Keyed(c, "upload: no parts", "POST", png, $"--{Boundary}--\r\n", 422, Multipart);
        yield return Keyed(c, "upload: empty multipart body", "POST", png, "", 422, Multipart);
        yield return Keyed(c, "upload: part named file", "POST", png, ValidMultipart.Replace("name=\"mediafile\"", "name=\"file\"", StringComparison.Ordinal), 422, Multipart);
        yield return Keyed(c, "upload: mediafile without a file name", "POST", png,
            ValidMultipart.Replace("; filename=\"logo.png\"", "", StringComparison.Ordinal), 422, Multipart);
        yield return Keyed(c, "upload: part name MEDIAFILE", "POST", png, ValidMultipart.Replace("\"mediafile\"", "\"MEDIAFILE\"", StringComparison.Ordinal), 422, Multipart);
        yield return Keyed(c, "upload: boundary never appears", "POST", png, "just some bytes\r\n", 422, Multipart);
        yield return Keyed(c, "upload: cut off in the part headers", "POST", png, $"--{Boundary}\r\nContent-Disposition: form-da", 422, Multipart);
        yield return Keyed(c, "upload: 20 kB part header line", "POST", png,
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"other\"; x=\"{Repeat('h', 20_000)}\"\r\n\r\nx\r\n--{Boundary}--\r\n", 422, Multipart);
        yield return Keyed(c, "upload: 1,000 empty parts before none", "POST", png,
            string.Concat(Enumerable.Repeat($"--{Boundary}\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n\r\n", 1000)) + $"--{Boundary}--\r\n", 422, Multipart);
        yield return Keyed(c, "upload: 40 MB declared (over 16 MB + framing)", "POST", png,
            new RequestBody(Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"mediafile\"; filename=\"big.png\"\r\n\r\n"), 40L * 1024 * 1024),
            413, Multipart);
    }
}
