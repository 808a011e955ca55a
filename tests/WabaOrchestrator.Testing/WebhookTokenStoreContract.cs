using WabaOrchestrator.Api.Webhooks;

namespace WabaOrchestrator.Testing;

/// <summary>What every <see cref="IWebhookTokenStore"/> must do, whatever it keeps tokens in (memory, SQLite, Blob).</summary>
public static class WebhookTokenStoreContract
{
    /// <summary>A token keeps the binding of its first use: the same request again is accepted (Vonage retrying), another is refused.</summary>
    public static async Task AssertFirstUseWinsAsync(IWebhookTokenStore store, DateTimeOffset expires)
    {
        Assert.True(await store.TryUseAsync("token-1", "binding-a", expires, default));
        Assert.True(await store.TryUseAsync("token-1", "binding-a", expires, default));
        Assert.False(await store.TryUseAsync("token-1", "binding-b", expires, default));
        Assert.True(await store.TryUseAsync("token-2", "binding-b", expires, default));
    }

    /// <summary>16 racers with 16 bindings on one token, spread over <paramref name="stores"/> sharing one backing store: exactly one wins.</summary>
    public static async Task AssertOneRacerWinsAsync(IReadOnlyList<IWebhookTokenStore> stores, DateTimeOffset expires)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await stores[i % stores.Count].TryUseAsync("raced-token", $"binding-{i}", expires, default);
        })).ToArray();

        start.SetResult();
        var results = await Task.WhenAll(racers);

        Assert.Equal(1, results.Count(won => won));
    }
}
