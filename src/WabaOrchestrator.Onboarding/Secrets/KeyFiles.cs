using System.Security.Cryptography;

namespace WabaOrchestrator.Onboarding.Secrets;

/// <summary>Random keys kept in files readable by the owner only.</summary>
public static class KeyFiles
{
    /// <summary>Reads the base64 key in <paramref name="path"/>, or creates it with <paramref name="length"/> random bytes.</summary>
    public static byte[] LoadOrCreate(string path, int length)
    {
        if (File.Exists(path))
        {
            var key = Convert.FromBase64String(File.ReadAllText(path).Trim());
            return key.Length == length ? key : throw new InvalidOperationException($"The key in '{path}' is {key.Length} bytes; expected {length}.");
        }

        var created = RandomNumberGenerator.GetBytes(length);
        WriteOwnerOnly(path, Convert.ToBase64String(created));
        return created;
    }

    /// <summary>Writes a file that only its owner can read (created atomically: readers never see half a key).</summary>
    public static void WriteOwnerOnly(string path, string contents)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(contents);
        }

        File.Move(temp, path, overwrite: false);
    }
}
