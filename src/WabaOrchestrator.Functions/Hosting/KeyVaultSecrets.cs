using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;

namespace WabaOrchestrator.Functions.Hosting;

/// <summary>
/// Reads the app's secrets from Key Vault (<c>KeyVault:VaultUri</c>) once at start-up and lays them over configuration
/// under the keys the options classes bind. In Azure it signs in as the app's user-assigned managed identity
/// (<c>KeyVault:ManagedIdentityClientId</c>); a local run without that setting uses the developer's sign-in. A setting
/// that already has a value (local.settings.json, an app setting) wins, so local runs need no vault.
/// </summary>
public static class KeyVaultSecrets
{
    public const string VaultUriKey = "KeyVault:VaultUri";
    public const string ManagedIdentityClientIdKey = "KeyVault:ManagedIdentityClientId";

    /// <summary>The secret whose enabled versions form the secret-protection key ring (docs/azure.md, "Rotating the secret-protection key").</summary>
    public const string SecretProtectionKeySecret = "secret-protection-key";

    /// <summary>Secret name in the vault (infra/modules/keyvault.bicep creates these) → configuration key.</summary>
    public static readonly IReadOnlyDictionary<string, string> Secrets = new Dictionary<string, string>
    {
        ["vonage-private-key"] = "Vonage:PrivateKey",
        ["vonage-signature-secret"] = "Vonage:SignatureSecret",
        [SecretProtectionKeySecret] = "SecretProtection:Key",
        ["callback-signing-secret"] = "Onboarding:Callbacks:SigningSecret",
    };

    /// <summary>Adds the vault's secrets when <c>KeyVault:VaultUri</c> is set; <paramref name="client"/> replaces the default client (tests).</summary>
    public static IConfigurationBuilder AddKeyVaultSecrets(this IConfigurationManager configuration, SecretClient? client = null)
    {
        var vaultUri = configuration[VaultUriKey];
        if (client is null && string.IsNullOrWhiteSpace(vaultUri))
        {
            return configuration;
        }

        if (client is null)
        {
            if (!Uri.TryCreate(vaultUri, UriKind.Absolute, out var uri))
            {
                throw new InvalidOperationException($"{VaultUriKey} must be the vault's absolute URL, e.g. https://kv-name.vault.azure.net/, not '{vaultUri}'.");
            }

            client = new SecretClient(uri, CreateCredential(configuration[ManagedIdentityClientIdKey]));
        }

        return configuration.AddInMemoryCollection(Load(client, configuration));
    }

    /// <summary>
    /// The app's managed identity when its client id is configured (Azure): only that credential is tried, so a start
    /// without the identity's role fails on the vault's 403 instead of wandering through developer credentials.
    /// Without a client id (a local run) <see cref="DefaultAzureCredential"/>: az login, Visual Studio, environment.
    /// </summary>
    public static TokenCredential CreateCredential(string? managedIdentityClientId) =>
        string.IsNullOrWhiteSpace(managedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(managedIdentityClientId));

    private static Dictionary<string, string?> Load(SecretClient client, IConfiguration configuration)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (secretName, key) in Secrets)
        {
            if (!string.IsNullOrEmpty(configuration[key]))
            {
                continue;
            }

            if (secretName == SecretProtectionKeySecret)
            {
                LoadKeyRing(client, configuration, values);
                continue;
            }

            try
            {
                values[key] = client.GetSecret(secretName).Value.Value;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Left unset: the options that need it fail validation at start with a message naming the setting.
            }
        }

        return values;
    }

    /// <summary>
    /// Every enabled, unexpired version of <see cref="SecretProtectionKeySecret"/> joins the key ring under its version
    /// id, the current version as the primary key unless <c>SecretProtection:PrimaryKeyId</c> pins another: adding a
    /// version rotates the key while values under older versions stay readable; disabling a version removes it.
    /// </summary>
    private static void LoadKeyRing(SecretClient client, IConfiguration configuration, Dictionary<string, string?> values)
    {
        if (configuration.GetSection("SecretProtection:Keys").GetChildren().Any())
        {
            return;
        }

        KeyVaultSecret current;
        try
        {
            current = client.GetSecret(SecretProtectionKeySecret).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return;
        }

        if (string.IsNullOrEmpty(current.Properties.Version))
        {
            values["SecretProtection:Key"] = current.Value;
            return;
        }

        values[$"SecretProtection:Keys:{current.Properties.Version}"] = current.Value;
        var now = DateTimeOffset.UtcNow;
        foreach (var version in client.GetPropertiesOfSecretVersions(SecretProtectionKeySecret))
        {
            if (version.Version is not { Length: > 0 } id || id == current.Properties.Version || version.Enabled != true
                || version.ExpiresOn <= now || version.NotBefore > now)
            {
                continue;
            }

            values[$"SecretProtection:Keys:{id}"] = client.GetSecret(SecretProtectionKeySecret, id).Value.Value;
        }

        if (string.IsNullOrEmpty(configuration["SecretProtection:PrimaryKeyId"]))
        {
            values["SecretProtection:PrimaryKeyId"] = current.Properties.Version;
        }
    }
}
