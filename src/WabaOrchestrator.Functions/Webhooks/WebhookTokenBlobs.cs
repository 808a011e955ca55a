using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using WabaOrchestrator.Functions.Hosting;

namespace WabaOrchestrator.Functions.Webhooks;

/// <summary>
/// The container of <see cref="BlobWebhookTokenStore"/> in the account <c>AzureWebJobsStorage</c> names, reached the
/// way the Functions host reaches it: a connection string (Azurite locally: <c>UseDevelopmentStorage=true</c>), or the
/// identity-based form of infra/ (<c>AzureWebJobsStorage__accountName</c> or <c>__blobServiceUri</c>, with
/// <c>__credential=managedidentity</c> and <c>__clientId</c> for the app's user-assigned identity).
/// </summary>
public static class WebhookTokenBlobs
{
    public const string ConnectionName = "AzureWebJobsStorage";

    /// <summary>Setting naming the container; the default is what infra/ provisions.</summary>
    public const string ContainerKey = "Webhooks:TokenStore:Container";

    public const string DefaultContainer = "webhook-tokens";

    public static BlobContainerClient CreateContainerClient(IConfiguration configuration)
    {
        var containerName = configuration[ContainerKey] is { Length: > 0 } configured ? configured : DefaultContainer;
        if (configuration[ConnectionName] is { Length: > 0 } connectionString)
        {
            return new BlobServiceClient(connectionString).GetBlobContainerClient(containerName);
        }

        var section = configuration.GetSection(ConnectionName);
        var serviceUri = section["blobServiceUri"] is { Length: > 0 } uri ? new Uri(uri)
            : section["accountName"] is { Length: > 0 } account ? new Uri($"https://{account}.blob.core.windows.net")
            : throw new InvalidOperationException($"{ConnectionName} is not configured: the webhook token store needs the app's storage account (a connection string, or {ConnectionName}__accountName with an identity).");
        var clientId = string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase) ? section["clientId"] : null;
        return new BlobServiceClient(serviceUri, KeyVaultSecrets.CreateCredential(clientId)).GetBlobContainerClient(containerName);
    }
}
