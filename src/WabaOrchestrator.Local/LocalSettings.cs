using System.Security.Cryptography;

namespace WabaOrchestrator.Local;

/// <summary>
/// What the local host fills in when the configuration leaves it out: the API key, the secret-protection key file,
/// the callback signing secret and, with no Vonage credentials, everything the embedded sandbox needs (an
/// application id and RSA key it registers, the webhook signature secret, and the data directory it keeps its state
/// in). Generated once into the data directory and reused on every later run.
/// </summary>
public sealed record LocalSettings(
    LocalData Data,
    IReadOnlyDictionary<string, string?> Overrides,
    bool EmbeddedSandbox,
    string? GeneratedApiKey,
    string? SandboxApplicationId,
    string? SandboxPublicKey)
{
    public static LocalSettings Resolve(IConfiguration configuration, string defaultUrl = LocalApp.DefaultUrl)
    {
        var data = new LocalData(configuration["Local:DataDirectory"] is { Length: > 0 } directory ? directory : LocalData.DefaultDirectory);
        data.Secure();
        var overrides = new Dictionary<string, string?>();

        string? generatedApiKey = null;
        if (!configuration.GetSection("Auth:Keys").GetChildren().Any(k => !string.IsNullOrEmpty(k.Value)))
        {
            generatedApiKey = LocalData.LoadOrCreateSecret(data.ApiKeyPath);
            overrides["Auth:Keys:0"] = generatedApiKey;
        }

        // Only with no key configured at all: after a rotation the old key file is dropped by leaving it out of the ring.
        if (IsEmpty(configuration, "SecretProtection:Key") && IsEmpty(configuration, "SecretProtection:KeyFile")
            && !configuration.GetSection("SecretProtection:Keys").GetChildren().Any() && !configuration.GetSection("SecretProtection:KeyFiles").GetChildren().Any())
        {
            overrides["SecretProtection:KeyFile"] = data.SecretProtectionKeyPath;
        }

        if (IsEmpty(configuration, "Onboarding:Callbacks:SigningSecret"))
        {
            overrides["Onboarding:Callbacks:SigningSecret"] = LocalData.LoadOrCreateSecret(data.CallbackSecretPath);
        }

        var embedded = IsEmpty(configuration, "Vonage:ApplicationId");
        string? applicationId = null, publicKey = null;
        if (embedded)
        {
            applicationId = LocalData.LoadOrCreate(data.SandboxApplicationIdPath, () => Guid.NewGuid().ToString());
            var privateKey = LocalData.LoadOrCreatePrivateKey(data.SandboxPrivateKeyPath);
            using (var rsa = RSA.Create())
            {
                rsa.ImportFromPem(privateKey);
                publicKey = rsa.ExportSubjectPublicKeyInfoPem();
            }

            var signatureSecret = configuration["Vonage:SignatureSecret"] is { Length: > 0 } configured
                ? configured
                : LocalData.LoadOrCreateSecret(data.SignatureSecretPath);
            overrides["Vonage:ApplicationId"] = applicationId;
            overrides["Vonage:PrivateKey"] = privateKey;
            overrides["Vonage:PrivateKeyPath"] = null;
            // Replaced by the real address once the host listens (VonageTarget); the validator needs a URL now.
            overrides["Vonage:BaseUrl"] = "http://localhost" + VonageTarget.SandboxPrefix + "/";
            overrides["Vonage:SignatureSecret"] = signatureSecret;
            overrides["Sandbox:InboundSms:SignatureSecret"] = signatureSecret;
            // The embedded sandbox is this host's Vonage: it keeps its deployments, codes and pending SMS next to the
            // engine's database, so a restart (kill -9 included) resumes every onboarding against the same state.
            if (IsEmpty(configuration, "Sandbox:DataDirectory"))
            {
                overrides["Sandbox:DataDirectory"] = data.Directory;
            }
        }

        if (IsEmpty(configuration, "AllowedHosts"))
        {
            overrides["AllowedHosts"] = LocalHostNames.AllowedHosts(configuration, defaultUrl);
        }

        return new(data, overrides, embedded, generatedApiKey, applicationId, publicKey);
    }

    private static bool IsEmpty(IConfiguration configuration, string key) => string.IsNullOrWhiteSpace(configuration[key]);
}
