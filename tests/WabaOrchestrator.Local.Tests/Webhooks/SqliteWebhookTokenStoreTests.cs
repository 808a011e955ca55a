using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Api.Webhooks;
using WabaOrchestrator.Local.Webhooks;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Local.Tests.Webhooks;

/// <summary>The local host's used-webhook-token store, in the engine's database file beside the running engine.</summary>
public sealed class SqliteWebhookTokenStoreTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"waba-tokens-{Guid.NewGuid():N}");

    private string DatabasePath => Path.Combine(_directory, "durable.db");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task FirstUseWins_TheSameBindingIsAcceptedAgain_AnotherIsRefused()
    {
        await WebhookTokenStoreContract.AssertFirstUseWinsAsync(new SqliteWebhookTokenStore(DatabasePath, TimeProvider.System), DateTimeOffset.UtcNow.AddMinutes(10));
    }

    [Fact]
    public async Task RacersOnOneToken_FromTwoStoresOnOneDatabase_ExactlyOneBindingWins()
    {
        IWebhookTokenStore[] stores = [new SqliteWebhookTokenStore(DatabasePath, TimeProvider.System), new SqliteWebhookTokenStore(DatabasePath, TimeProvider.System)];

        await WebhookTokenStoreContract.AssertOneRacerWinsAsync(stores, DateTimeOffset.UtcNow.AddMinutes(10));
    }

    [Fact]
    public async Task ExpiredTokens_AreTakenOverByANewUse_AndDeleted()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var store = new SqliteWebhookTokenStore(DatabasePath, clock);
        var now = clock.GetUtcNow();
        Assert.True(await store.TryUseAsync("long", "a", now.AddMinutes(10), default));
        Assert.True(await store.TryUseAsync("short", "a", now.AddMinutes(1), default));
        Assert.False(await store.TryUseAsync("short", "b", now.AddMinutes(1), default));

        clock.Advance(TimeSpan.FromMinutes(2));

        Assert.True(await store.TryUseAsync("short", "b", clock.GetUtcNow().AddMinutes(10), default));
        Assert.False(await store.TryUseAsync("long", "b", now.AddMinutes(10), default));
        Assert.True(await store.TryUseAsync("third", "a", clock.GetUtcNow().AddMinutes(1), default));
        Assert.Equal(3, await store.CountAsync());

        clock.Advance(TimeSpan.FromMinutes(20));
        Assert.True(await store.TryUseAsync("fourth", "a", clock.GetUtcNow().AddMinutes(10), default));
        Assert.Equal(1, await store.CountAsync());
    }

    [Fact]
    public async Task LocalHost_KeepsUsedTokensInItsDatabase_BesideTheRunningEngine_AndAcrossARestart()
    {
        await using var host = await TempLocalHost.StartAsync();
        var expires = DateTimeOffset.UtcNow.AddMinutes(10);
        var store = host.App.Services.GetRequiredService<IWebhookTokenStore>();
        Assert.IsType<SqliteWebhookTokenStore>(store);
        Assert.True(await store.TryUseAsync("captured", "first-query", expires, default));

        // Another process on the same data directory (the engine's lock keeps only a second engine out).
        var other = new SqliteWebhookTokenStore(Path.Combine(host.DataDirectory, "durable.db"), TimeProvider.System);
        Assert.False(await other.TryUseAsync("captured", "another-query", expires, default));

        await host.RestartAsync();
        var restarted = host.App.Services.GetRequiredService<IWebhookTokenStore>();
        Assert.False(await restarted.TryUseAsync("captured", "another-query", expires, default));
        Assert.True(await restarted.TryUseAsync("captured", "first-query", expires, default));
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
