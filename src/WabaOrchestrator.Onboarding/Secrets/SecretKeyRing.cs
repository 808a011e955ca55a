using System.Text.RegularExpressions;

namespace WabaOrchestrator.Onboarding.Secrets;

/// <summary>
/// The secret-protection keys by id: new values are protected with <see cref="PrimaryId"/>; the others stay only so
/// values written with them (by onboardings still running) can be read. See docs/local-host.md, "Rotating keys".
/// </summary>
public sealed partial class SecretKeyRing
{
    public SecretKeyRing(IReadOnlyDictionary<string, byte[]> keys, string primaryId)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var (id, key) in keys)
        {
            if (!IsValidId(id))
            {
                throw new ArgumentException($"Key id '{id}' is not valid: 1 to 64 letters, digits, '.', '_' or '-'.", nameof(keys));
            }

            if (key.Length != 32)
            {
                throw new ArgumentException($"The secret-protection key '{id}' must be 32 bytes (AES-256), not {key.Length}.", nameof(keys));
            }
        }

        if (!keys.ContainsKey(primaryId))
        {
            throw new ArgumentException($"The primary key id '{primaryId}' is not in the key ring ({string.Join(", ", keys.Keys)}).", nameof(primaryId));
        }

        Keys = keys;
        PrimaryId = primaryId;
    }

    public IReadOnlyDictionary<string, byte[]> Keys { get; }

    public string PrimaryId { get; }

    /// <summary>A key id travels in every protected value (after <c>wsp2:</c>), so it must not contain the separator.</summary>
    public static bool IsValidId(string? id) => id is not null && KeyId().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex KeyId();
}
