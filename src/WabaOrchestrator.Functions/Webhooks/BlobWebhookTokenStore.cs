using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using WabaOrchestrator.Api.Webhooks;

namespace WabaOrchestrator.Functions.Webhooks;

/// <summary>
/// Used webhook tokens as blobs in the Function App's own storage account, one empty blob per token hash whose
/// metadata holds the binding hash and the expiry. A use is a create with <c>If-None-Match: *</c>, which Storage
/// performs atomically: of two instances racing on one token exactly one creates it, the other sees the winner's
/// binding. An expired blob is taken over with <c>If-Match</c> on its ETag; the container's lifecycle rule deletes old
/// blobs (per-blob expiry needs a hierarchical namespace, which that account has not).
/// </summary>
public sealed class BlobWebhookTokenStore(BlobContainerClient container, TimeProvider time) : IWebhookTokenStore
{
    private const string BindingKey = "binding";
    private const string ExpiresKey = "expires";

    private readonly SemaphoreSlim _createContainer = new(1, 1);
    private volatile bool _containerExists;

    public BlobContainerClient Container => container;

    public async Task<bool> TryUseAsync(string tokenHash, string bindingHash, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        var blob = container.GetBlobClient(tokenHash);
        var metadata = new Dictionary<string, string>
        {
            [BindingKey] = bindingHash,
            [ExpiresKey] = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };

        // A few rounds at most: each one ends unless another instance changed the blob in between.
        for (var round = 0; ; round++)
        {
            if (await TryUploadAsync(blob, metadata, new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken))
            {
                return true;
            }

            BlobProperties existing;
            try
            {
                existing = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            }
            catch (RequestFailedException e) when (e.Status == 404 && round < 3)
            {
                // Deleted (lifecycle rule) between the two calls: claim it again.
                continue;
            }

            if (existing.Metadata.TryGetValue(BindingKey, out var bound) && string.Equals(bound, bindingHash, StringComparison.Ordinal))
            {
                return true;
            }

            var expired = existing.Metadata.TryGetValue(ExpiresKey, out var raw)
                && long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                && DateTimeOffset.FromUnixTimeSeconds(seconds) <= time.GetUtcNow();
            if (!expired || round >= 3)
            {
                return false;
            }

            if (await TryUploadAsync(blob, metadata, new BlobRequestConditions { IfMatch = existing.ETag }, cancellationToken))
            {
                return true;
            }
        }
    }

    /// <summary>False when the condition failed (the blob exists, or changed since it was read).</summary>
    private static async Task<bool> TryUploadAsync(BlobClient blob, Dictionary<string, string> metadata, BlobRequestConditions conditions, CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Metadata = metadata, Conditions = conditions }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (_containerExists)
        {
            return;
        }

        await _createContainer.WaitAsync(cancellationToken);
        try
        {
            if (!_containerExists)
            {
                // Normally provisioned by infra/ (with its lifecycle rule); created here so a fresh account works too.
                await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                _containerExists = true;
            }
        }
        finally
        {
            _createContainer.Release();
        }
    }
}
