using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace WabaOrchestrator.Onboarding.Secrets;

/// <summary>
/// AES-256-GCM with a random 96-bit nonce per value, under the key ring's primary key.
/// Format: <c>wsp2:</c> + key id + <c>:</c> + base64url(nonce | ciphertext | tag), with the purpose and the key id as
/// associated data. Values of the first format (<c>wsp1:</c> + base64url(nonce | ciphertext | tag), purpose as
/// associated data, no key id) are still read: each key in the ring is tried, the tag telling which one fits.
/// </summary>
public sealed class AesGcmSecretProtector : ISecretProtector, IDisposable
{
    public const string Prefix = "wsp2:";
    public const string LegacyPrefix = "wsp1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Dictionary<string, Cipher> _ciphers;
    private readonly Cipher _primary;

    /// <summary>A ring of one key, with id <see cref="SecretProtectionOptions.DefaultKeyId"/>.</summary>
    public AesGcmSecretProtector(ReadOnlySpan<byte> key)
        : this(new SecretKeyRing(new Dictionary<string, byte[]> { [SecretProtectionOptions.DefaultKeyId] = key.ToArray() }, SecretProtectionOptions.DefaultKeyId))
    {
    }

    public AesGcmSecretProtector(SecretKeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        _ciphers = ring.Keys.ToDictionary(k => k.Key, k => new Cipher(k.Key, new AesGcm(k.Value, TagSize)), StringComparer.Ordinal);
        _primary = _ciphers[ring.PrimaryId];
    }

    public string Protect(string plaintext, string purpose)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var buffer = new byte[NonceSize + plain.Length + TagSize];
        var nonce = buffer.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        lock (_primary.Gate)
        {
            _primary.Aes.Encrypt(nonce, plain, buffer.AsSpan(NonceSize, plain.Length), buffer.AsSpan(NonceSize + plain.Length), AssociatedData(purpose, _primary.Id));
        }

        CryptographicOperations.ZeroMemory(plain);
        return $"{Prefix}{_primary.Id}:{Base64Url.EncodeToString(buffer)}";
    }

    public string Unprotect(string protectedValue, string purpose)
    {
        if (protectedValue is not null && protectedValue.StartsWith(Prefix, StringComparison.Ordinal))
        {
            var rest = protectedValue.AsSpan(Prefix.Length);
            var separator = rest.IndexOf(':');
            var id = separator > 0 ? rest[..separator].ToString() : "";
            if (!SecretKeyRing.IsValidId(id))
            {
                throw new CryptographicException("The protected secret is malformed: it names no valid key id.");
            }

            if (!_ciphers.TryGetValue(id, out var cipher))
            {
                // The id, never the key: an operator removed a key that values still need.
                throw new CryptographicException(
                    $"The protected secret was written with secret-protection key '{id}', which is not in the key ring; put key '{id}' back until every onboarding that used it has finished.");
            }

            return Decrypt(cipher, Decode(rest[(separator + 1)..]), AssociatedData(purpose, id));
        }

        if (protectedValue is not null && protectedValue.StartsWith(LegacyPrefix, StringComparison.Ordinal))
        {
            var buffer = Decode(protectedValue.AsSpan(LegacyPrefix.Length));
            var legacyData = Encoding.UTF8.GetBytes(purpose);
            foreach (var cipher in _ciphers.Values.OrderBy(c => c == _primary ? 0 : 1))
            {
                try
                {
                    return Decrypt(cipher, buffer, legacyData);
                }
                catch (AuthenticationTagMismatchException)
                {
                    // Not this key (or tampered): the next one may fit.
                }
            }

            throw new AuthenticationTagMismatchException(
                "The protected secret (written without a key id) opens with no key in the ring: it was altered, or the key it was written with has been removed.");
        }

        throw new CryptographicException("The value is not a protected secret.");
    }

    public void Dispose()
    {
        foreach (var cipher in _ciphers.Values)
        {
            cipher.Aes.Dispose();
        }
    }

    private static byte[] AssociatedData(string purpose, string keyId) => Encoding.UTF8.GetBytes($"{purpose}\0{keyId}");

    private static byte[] Decode(ReadOnlySpan<char> text)
    {
        byte[] buffer;
        try
        {
            buffer = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException ex)
        {
            throw new CryptographicException("The protected secret is malformed.", ex);
        }

        return buffer.Length < NonceSize + TagSize ? throw new CryptographicException("The protected secret is truncated.") : buffer;
    }

    private static string Decrypt(Cipher cipher, byte[] buffer, byte[] associatedData)
    {
        var length = buffer.Length - NonceSize - TagSize;
        var plain = new byte[length];
        lock (cipher.Gate)
        {
            cipher.Aes.Decrypt(buffer.AsSpan(0, NonceSize), buffer.AsSpan(NonceSize, length), buffer.AsSpan(NonceSize + length), plain, associatedData);
        }

        return Encoding.UTF8.GetString(plain);
    }

    // AesGcm instances are not thread-safe (one native cipher context): concurrent activities and webhook calls
    // otherwise corrupt each other's operations, so each key has its own lock.
    private sealed record Cipher(string Id, AesGcm Aes)
    {
        public Lock Gate { get; } = new();
    }
}
