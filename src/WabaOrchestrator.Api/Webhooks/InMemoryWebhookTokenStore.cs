using Microsoft.Extensions.Options;

namespace WabaOrchestrator.Api.Webhooks;

/// <summary>
/// The token store of a single process that keeps nothing across restarts, bounded by
/// <see cref="WebhookOptions.DedupeCapacity"/>. The API's default only: both hosts replace it with a durable store
/// (SQLite locally, Blob storage on Azure).
/// </summary>
public sealed class InMemoryWebhookTokenStore(IOptions<WebhookOptions> options, TimeProvider time) : IWebhookTokenStore
{
    private readonly Dictionary<string, (string Binding, DateTimeOffset ExpiresAt)> _used = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _lock = new();

    public Task<bool> TryUseAsync(string tokenHash, string bindingHash, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            while (_order.TryPeek(out var oldest) && (!_used.TryGetValue(oldest, out var entry) || entry.ExpiresAt <= now || _used.Count >= options.Value.DedupeCapacity))
            {
                _order.Dequeue();
                _used.Remove(oldest);
            }

            if (_used.TryGetValue(tokenHash, out var used))
            {
                return Task.FromResult(string.Equals(used.Binding, bindingHash, StringComparison.Ordinal));
            }

            _used[tokenHash] = (bindingHash, expiresAt);
            _order.Enqueue(tokenHash);
            return Task.FromResult(true);
        }
    }
}
