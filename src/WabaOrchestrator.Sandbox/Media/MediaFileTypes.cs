namespace WabaOrchestrator.Sandbox.Media;

/// <summary>What a template HEADER can show; an upload's file type decides which one its handle serves.</summary>
internal enum MediaKind
{
    Image,
    Video,
    Document,
}

/// <summary>The file types Vonage's media upload accepts, with Meta's size limits and signatures.</summary>
internal static class MediaFileTypes
{
    public const long MaxImageBytes = 5 * 1024 * 1024;
    public const long MaxVideoBytes = 16 * 1024 * 1024;

    /// <summary>Bytes of the file's start needed to recognise every supported format.</summary>
    public const int SignatureLength = 12;

    public static readonly IReadOnlyList<string> Uploadable = ["image/jpeg", "image/jpg", "image/png", "video/mp4"];

    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Ftyp = "ftyp"u8.ToArray();

    public static bool IsUploadable(string fileType) => Uploadable.Contains(fileType, StringComparer.Ordinal);

    // application/pdf is never uploadable here (Vonage documents no document type), but a
    // DOCUMENT header handle carries it, so the kind mapping knows it.
    public static MediaKind? KindOf(string fileType) => fileType switch
    {
        "image/jpeg" or "image/jpg" or "image/png" => MediaKind.Image,
        "video/mp4" => MediaKind.Video,
        "application/pdf" => MediaKind.Document,
        _ => null,
    };

    public static long MaxBytes(string fileType) => KindOf(fileType) == MediaKind.Video ? MaxVideoBytes : MaxImageBytes;

    /// <summary>Checks the magic bytes: a JPEG starts FF D8 FF, a PNG with its 8-byte signature, an MP4 with a <c>ftyp</c> box.</summary>
    public static bool SignatureMatches(string fileType, ReadOnlySpan<byte> head) => fileType switch
    {
        "image/jpeg" or "image/jpg" => head.StartsWith(Jpeg),
        "image/png" => head.StartsWith(Png),
        "video/mp4" => head.Length >= 8 && head[4..8].SequenceEqual(Ftyp),
        _ => false,
    };
}
