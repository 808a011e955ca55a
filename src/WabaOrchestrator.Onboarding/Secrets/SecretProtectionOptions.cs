namespace WabaOrchestrator.Onboarding.Secrets;

/// <summary>
/// Settings under <c>SecretProtection:*</c>: the AES-256 key as base64 in <see cref="Key"/> (in Azure it comes from
/// Key Vault), or a key file that is created on first run (the local host keeps it in its data directory).
/// </summary>
public sealed class SecretProtectionOptions
{
    public const string SectionName = "SecretProtection";

    /// <summary>Base64 of 32 random bytes.</summary>
    public string? Key { get; set; }

    /// <summary>Path of a file holding the key; created with owner-only permissions when missing.</summary>
    public string? KeyFile { get; set; }

    internal byte[] ResolveKey()
    {
        if (!string.IsNullOrWhiteSpace(Key))
        {
            byte[] key;
            try
            {
                key = Convert.FromBase64String(Key);
            }
            catch (FormatException ex)
            {
                throw new InvalidOperationException("SecretProtection:Key must be base64 of 32 random bytes.", ex);
            }

            return key.Length == 32 ? key : throw new InvalidOperationException($"SecretProtection:Key must decode to 32 bytes, not {key.Length}.");
        }

        if (!string.IsNullOrWhiteSpace(KeyFile))
        {
            return KeyFiles.LoadOrCreate(KeyFile, 32);
        }

        throw new InvalidOperationException("Set SecretProtection:Key (base64 of 32 bytes) or SecretProtection:KeyFile (created on first run).");
    }
}
