using System.Security.Cryptography;
using WabaOrchestrator.Onboarding.Secrets;

namespace WabaOrchestrator.Local;

/// <summary>
/// The local host's data directory (<c>Local:DataDirectory</c>, default <c>.data</c> under the working directory):
/// the SQLite database and every generated secret, each created on first run in a file only its owner can read, and
/// reused afterwards; <see cref="Secure"/> keeps the directory 0700 and its files 0600.
/// </summary>
public sealed class LocalData(string directory)
{
    public const string DefaultDirectory = ".data";

    public string Directory { get; } = Path.GetFullPath(directory);

    public string DatabasePath => Path.Combine(Directory, "durable.db");

    /// <summary>The embedded sandbox's state (sandbox mode): its deployments, codes, templates and pending SMS.</summary>
    public string SandboxDatabasePath => Path.Combine(Directory, "sandbox.db");

    public string SecretProtectionKeyPath => Path.Combine(Directory, "secret-protection.key");

    public string ApiKeyPath => Path.Combine(Directory, "api-key");

    public string CallbackSecretPath => Path.Combine(Directory, "callback-signing-secret");

    public string SignatureSecretPath => Path.Combine(Directory, "webhook-signature-secret");

    public string SandboxPrivateKeyPath => Path.Combine(Directory, "sandbox-private-key.pem");

    public string SandboxApplicationIdPath => Path.Combine(Directory, "sandbox-application-id");

    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Creates the directory when missing and, at every start (a copy, a restore or a chmod may have loosened them),
    /// makes it and every directory in it 0700 and every file 0600. The databases and the engine's lock file are
    /// created here, empty and 0600, when missing: SQLite would create them with the umask's mode, and it gives its
    /// -wal and -shm files the database's mode. Windows: nothing is changed; the directory inherits its parent's ACL.
    /// </summary>
    public void Secure()
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
            return;
        }

        System.IO.Directory.CreateDirectory(Directory, OwnerOnlyDirectory);
        File.SetUnixFileMode(Directory, OwnerOnlyDirectory);
        foreach (var path in new[] { DatabasePath, DatabasePath + ".lock" })
        {
            if (!File.Exists(path))
            {
                try
                {
                    using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile });
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Created meanwhile by another start: the pass below fixes its mode.
                }
            }
        }

        // Links are skipped: following one would change a file outside the data directory.
        var everything = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = false };
        foreach (var entry in new DirectoryInfo(Directory).EnumerateFileSystemInfos("*", everything))
        {
            var mode = entry is DirectoryInfo ? OwnerOnlyDirectory : OwnerOnlyFile;
            if (entry.UnixFileMode != mode)
            {
                entry.UnixFileMode = mode;
            }
        }
    }

    /// <summary>A random URL-safe secret of <paramref name="bytes"/> bytes, created in <paramref name="path"/> when missing.</summary>
    public static string LoadOrCreateSecret(string path, int bytes = 32) =>
        LoadOrCreate(path, () => Base64Url(RandomNumberGenerator.GetBytes(bytes)));

    /// <summary>The RSA key pair the host signs Vonage tokens with when it talks to its embedded sandbox (PKCS#8 PEM).</summary>
    public static string LoadOrCreatePrivateKey(string path) =>
        LoadOrCreate(path, () =>
        {
            using var rsa = RSA.Create(2048);
            return rsa.ExportPkcs8PrivateKeyPem();
        });

    public static string LoadOrCreate(string path, Func<string> create)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var value = create();
        try
        {
            KeyFiles.WriteOwnerOnly(path, value);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: theirs wins, so both use the same value.
            return File.ReadAllText(path).Trim();
        }

        return value;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
