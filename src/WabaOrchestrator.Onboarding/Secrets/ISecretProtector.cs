namespace WabaOrchestrator.Onboarding.Secrets;

/// <summary>
/// Encrypts secrets (pin, vname certificate, OTP codes) before they enter an orchestration: both engines persist
/// inputs and event payloads, so only ciphertext may reach history, status or logs. Activities decrypt just before
/// the Vonage call.
/// </summary>
public interface ISecretProtector
{
    /// <summary>Encrypts <paramref name="plaintext"/>; <paramref name="purpose"/> binds the ciphertext to one use.</summary>
    string Protect(string plaintext, string purpose);

    /// <summary>Decrypts a value from <see cref="Protect"/> with the same purpose; throws <see cref="System.Security.Cryptography.CryptographicException"/> otherwise.</summary>
    string Unprotect(string protectedValue, string purpose);
}

/// <summary>The purposes used by the workflow; a ciphertext made for one cannot be opened as another.</summary>
public static class SecretPurposes
{
    public const string Pin = "pin";
    public const string VnameCertificate = "vname_certificate";
    public const string Otp = "otp";
}
