using WabaOrchestrator.Functions.Webhooks;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Functions.Tests.Webhooks;

/// <summary>The Functions host's used-webhook-token store against Azurite's Blob service.</summary>
public sealed class BlobWebhookTokenStoreTests(Azurite azurite) : IClassFixture<Azurite>
{
    [Fact]
    public async Task FirstUseWins_TheSameBindingIsAcceptedAgain_AnotherIsRefused()
    {
        await WebhookTokenStoreContract.AssertFirstUseWinsAsync(new BlobWebhookTokenStore(azurite.NewContainer(), TimeProvider.System), DateTimeOffset.UtcNow.AddMinutes(10));
    }

    [Fact]
    public async Task ATokenUsedOnOneInstance_IsRefusedOnAnother()
    {
        var container = azurite.NewContainer();
        var first = new BlobWebhookTokenStore(container, TimeProvider.System);
        var second = new BlobWebhookTokenStore(new Azure.Storage.Blobs.BlobContainerClient(azurite.ConnectionString, container.Name), TimeProvider.System);
        var expires = DateTimeOffset.UtcNow.AddMinutes(10);

        Assert.True(await first.TryUseAsync("captured", "first-query", expires, default));

        Assert.False(await second.TryUseAsync("captured", "another-query", expires, default));
        Assert.True(await second.TryUseAsync("captured", "first-query", expires, default));
    }

    [Fact]
    public async Task RacersOnOneToken_FromSeveralInstances_ExactlyOneBindingWins()
    {
        var container = azurite.NewContainer();
        var stores = Enumerable.Range(0, 4).Select(_ => new BlobWebhookTokenStore(new Azure.Storage.Blobs.BlobContainerClient(azurite.ConnectionString, container.Name), TimeProvider.System)).ToArray();
        await container.CreateIfNotExistsAsync();

        await WebhookTokenStoreContract.AssertOneRacerWinsAsync(stores, DateTimeOffset.UtcNow.AddMinutes(10));
    }

    [Fact]
    public async Task AnExpiredToken_IsTakenOverByANewUse()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var store = new BlobWebhookTokenStore(azurite.NewContainer(), clock);
        Assert.True(await store.TryUseAsync("token", "a", clock.GetUtcNow().AddMinutes(10), default));
        Assert.False(await store.TryUseAsync("token", "b", clock.GetUtcNow().AddMinutes(10), default));

        clock.Advance(TimeSpan.FromMinutes(11));

        Assert.True(await store.TryUseAsync("token", "b", clock.GetUtcNow().AddMinutes(10), default));
        Assert.False(await store.TryUseAsync("token", "a", clock.GetUtcNow().AddMinutes(10), default));
    }

    [Fact]
    public async Task ABlobHoldsHashesOnly_ItsNameTheTokenHash_ItsMetadataTheBindingHashAndExpiry()
    {
        var container = azurite.NewContainer();
        var store = new BlobWebhookTokenStore(container, TimeProvider.System);
        var expires = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds());

        await store.TryUseAsync(new string('a', 64), new string('b', 64), expires, default);

        var blob = Assert.Single(container.GetBlobs(new Azure.Storage.Blobs.Models.GetBlobsOptions { Traits = Azure.Storage.Blobs.Models.BlobTraits.Metadata }));
        Assert.Equal(new string('a', 64), blob.Name);
        Assert.Equal(0, blob.Properties.ContentLength);
        Assert.Equal(new string('b', 64), blob.Metadata["binding"]);
        Assert.Equal(expires.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), blob.Metadata["expires"]);
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
