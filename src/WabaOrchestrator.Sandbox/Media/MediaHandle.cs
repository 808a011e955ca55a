using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WabaOrchestrator.Sandbox.Media;

/// <summary>
/// Upload handles in the documented style
/// <c>:&lt;base64 file name&gt;:&lt;file type&gt;:&lt;random&gt;:e:&lt;unix expiry&gt;:&lt;random&gt;</c>.
/// </summary>
internal static class MediaHandle
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    public static string Create(string fileName, string fileType, DateTimeOffset expiresAt) =>
        string.Create(CultureInfo.InvariantCulture,
            $":{Convert.ToBase64String(Encoding.UTF8.GetBytes(fileName))}:{fileType}:{RandomNumberGenerator.GetString(Alphabet, 36)}:e:{expiresAt.ToUnixTimeSeconds()}:{RandomNumberGenerator.GetString(Alphabet, 19)}");

    /// <summary>Reads the file type and expiry out of a handle; false when it is not shaped like one.</summary>
    public static bool TryParse(string handle, out string fileType, out DateTimeOffset expiresAt)
    {
        fileType = "";
        expiresAt = default;
        var parts = handle.Split(':');
        if (parts is not ["", { Length: > 0 }, { Length: > 0 }, { Length: > 0 }, "e", var expiry, { Length: > 0 }]
            || !long.TryParse(expiry, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        fileType = parts[2];
        expiresAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}
