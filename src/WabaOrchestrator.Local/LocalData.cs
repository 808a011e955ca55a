using System.Security.Cryptography;
using WabaOrchestrator.Onboarding.Secrets;

namespace WabaOrchestrator.Local;

/// <summary>
/// The local host's data directory (<c>Local:DataDirectory</c>, default <c>.data</c> under the working directory):
/// the SQLite database and every generated secret, each created on first run in a file only its owner can read, and
/// reused afterwards.
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
