using Azure.Security.KeyVault.Secrets;

namespace WabaOrchestrator.Vonage.Auth;

/// <summary>The key given inline (<c>Vonage:PrivateKey</c>).</summary>
public sealed class InlinePrivateKeySource(string pem) : PemPrivateKeySource
{
    protected override string Description => "Vonage:PrivateKey";

    protected override Task<string> LoadPemAsync(CancellationToken cancellationToken) => Task.FromResult(pem);
}

/// <summary>The key read from a file (<c>Vonage:PrivateKeyPath</c>).</summary>
public sealed class FilePrivateKeySource(string path) : PemPrivateKeySource
{
    protected override string Description => $"the file '{path}' (Vonage:PrivateKeyPath)";

    protected override async Task<string> LoadPemAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cannot read the Vonage private key file '{path}' (Vonage:PrivateKeyPath): {e.Message}", e);
        }
    }
}

/// <summary>The key held in an Azure Key Vault secret (<c>Vonage:KeyVault:*</c>).</summary>
public sealed class KeyVaultPrivateKeySource(SecretClient secrets, string secretName) : PemPrivateKeySource
{
    protected override string Description => $"Key Vault secret '{secretName}' in {secrets.VaultUri}";

    protected override async Task<string> LoadPemAsync(CancellationToken cancellationToken)
    {
        var response = await secrets.GetSecretAsync(secretName, null, cancellationToken);
        return response.Value.Value ?? throw new InvalidOperationException($"The {Description} has no value.");
    }
}
