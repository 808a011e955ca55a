namespace WabaOrchestrator.Onboarding.Secrets;

/// <summary>
/// Settings under <c>SecretProtection:*</c>: the key ring that protects pins, certificates and OTP codes. One key as
/// base64 in <see cref="Key"/> (in Azure it comes from Key Vault) or in a <see cref="KeyFile"/> created on first run
/// (the local host keeps it in its data directory), with id <see cref="KeyId"/>; more keys under <see cref="Keys"/> or
/// <see cref="KeyFiles"/> by id, so a key can be rotated while onboardings that used the old one are still running.
/// </summary>
public sealed class SecretProtectionOptions
{
    public const string SectionName = "SecretProtection";

    /// <summary>The id of <see cref="Key"/>/<see cref="KeyFile"/> unless <see cref="KeyId"/> says otherwise.</summary>
    public const string DefaultKeyId = "1";

    /// <summary>Base64 of 32 random bytes.</summary>
    public string? Key { get; set; }

    /// <summary>Path of a file holding the key; created with owner-only permissions when missing.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The id under which <see cref="Key"/> or <see cref="KeyFile"/> joins the ring.</summary>
    public string KeyId { get; set; } = DefaultKeyId;

    /// <summary><c>SecretProtection:Keys:&lt;id&gt;</c>: base64 of 32 random bytes per key id.</summary>
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary><c>SecretProtection:KeyFiles:&lt;id&gt;</c>: a key file per key id, created when missing.</summary>
    public Dictionary<string, string> KeyFiles { get; set; } = [];

    /// <summary>The key new values are protected with; may be left out when the ring holds one key.</summary>
    public string? PrimaryKeyId { get; set; }

    /// <summary>What is wrong with the settings (without reading or creating files), or null.</summary>
    public string? Problem()
    {
        var sources = Sources().ToList();
        if (sources.Count == 0)
        {
            return "Set SecretProtection:Key (base64 of 32 bytes) or SecretProtection:KeyFile (created on first run), or keys by id under SecretProtection:Keys / SecretProtection:KeyFiles.";
        }

        if (sources.Select(s => s.Id).FirstOrDefault(id => !SecretKeyRing.IsValidId(id)) is { } badId)
        {
            return $"SecretProtection key id '{badId}' is not valid: 1 to 64 letters, digits, '.', '_' or '-'.";
        }

        if (sources.GroupBy(s => s.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            return $"SecretProtection key id '{duplicate.Key}' is given more than once.";
        }

        foreach (var (id, key, _) in sources.Where(s => s.Base64 is not null))
        {
            if (DecodeKey(key!) is null)
            {
                return $"SecretProtection key '{id}' must decode to 32 bytes (base64 of 32 random bytes).";
            }
        }

        var ids = sources.Select(s => s.Id).ToList();
        if (string.IsNullOrWhiteSpace(PrimaryKeyId))
        {
            return ids.Count == 1 ? null : $"Set SecretProtection:PrimaryKeyId to the key new values use; the ring holds {string.Join(", ", ids)}.";
        }

        return ids.Contains(PrimaryKeyId, StringComparer.Ordinal) ? null : $"SecretProtection:PrimaryKeyId '{PrimaryKeyId}' names no key in the ring ({string.Join(", ", ids)}).";
    }

    /// <summary>The ring, creating missing key files.</summary>
    public SecretKeyRing ResolveKeyRing()
    {
        if (Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, base64, file) in Sources())
        {
            keys[id] = base64 is not null ? DecodeKey(base64)! : Secrets.KeyFiles.LoadOrCreate(file!, 32);
        }

        return new SecretKeyRing(keys, string.IsNullOrWhiteSpace(PrimaryKeyId) ? keys.Keys.Single() : PrimaryKeyId);
    }

    private IEnumerable<(string Id, string? Base64, string? File)> Sources()
    {
        if (!string.IsNullOrWhiteSpace(Key))
        {
            yield return (KeyId, Key, null);
        }
        else if (!string.IsNullOrWhiteSpace(KeyFile))
        {
            yield return (KeyId, null, KeyFile);
        }

        foreach (var (id, key) in Keys.Where(k => !string.IsNullOrWhiteSpace(k.Value)))
        {
            yield return (id, key, null);
        }

        foreach (var (id, file) in KeyFiles.Where(k => !string.IsNullOrWhiteSpace(k.Value)))
        {
            yield return (id, null, file);
        }
    }

    private static byte[]? DecodeKey(string base64)
    {
        try
        {
            var key = Convert.FromBase64String(base64);
            return key.Length == 32 ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
