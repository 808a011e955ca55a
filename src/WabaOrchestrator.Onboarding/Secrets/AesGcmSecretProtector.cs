using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace WabaOrchestrator.Onboarding.Secrets;

/// <summary>
/// AES-256-GCM with a random 96-bit nonce per value and the purpose as associated data.
/// Format: <c>wsp1:</c> + base64url(nonce | ciphertext | tag).
/// </summary>
public sealed class AesGcmSecretProtector : ISecretProtector, IDisposable
{
    public const string Prefix = "wsp1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly AesGcm _aes;

    // AesGcm instances are not thread-safe (one native cipher context): concurrent activities and webhook calls
    // otherwise corrupt each other's operations.
    private readonly Lock _gate = new();

    public AesGcmSecretProtector(ReadOnlySpan<byte> key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("The secret-protection key must be 32 bytes (AES-256).", nameof(key));
        }

        _aes = new AesGcm(key, TagSize);
    }

    public string Protect(string plaintext, string purpose)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var buffer = new byte[NonceSize + plain.Length + TagSize];
        var nonce = buffer.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        lock (_gate)
        {
            _aes.Encrypt(nonce, plain, buffer.AsSpan(NonceSize, plain.Length), buffer.AsSpan(NonceSize + plain.Length), Encoding.UTF8.GetBytes(purpose));
        }

        CryptographicOperations.ZeroMemory(plain);
        return Prefix + Base64Url.EncodeToString(buffer);
    }

    public string Unprotect(string protectedValue, string purpose)
    {
        if (protectedValue is null || !protectedValue.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new CryptographicException("The value is not a protected secret.");
        }

        byte[] buffer;
        try
        {
            buffer = Base64Url.DecodeFromChars(protectedValue.AsSpan(Prefix.Length));
        }
        catch (FormatException ex)
        {
            throw new CryptographicException("The protected secret is malformed.", ex);
        }

        if (buffer.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The protected secret is truncated.");
        }

        var length = buffer.Length - NonceSize - TagSize;
        var plain = new byte[length];
        lock (_gate)
        {
            _aes.Decrypt(buffer.AsSpan(0, NonceSize), buffer.AsSpan(NonceSize, length), buffer.AsSpan(NonceSize + length), plain, Encoding.UTF8.GetBytes(purpose));
        }

        return Encoding.UTF8.GetString(plain);
    }

    public void Dispose() => _aes.Dispose();
}
