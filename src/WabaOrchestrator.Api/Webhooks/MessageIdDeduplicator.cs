using Microsoft.Extensions.Options;

namespace WabaOrchestrator.Api.Webhooks;

/// <summary>
/// Remembers the inbound messages already turned into an event, for <see cref="WebhookOptions.DedupeWindow"/> and at
/// most <see cref="WebhookOptions.DedupeCapacity"/> of them (oldest forgotten first). A message is reserved while
/// its event is raised, so two concurrent deliveries of one message raise once; a failed raise releases it so
/// Vonage's retry can succeed. In memory: after a restart a re-delivery within the window is seen as new (the
/// orchestrator then gets the same code again, which it verifies or ignores as any repeated code).
/// </summary>
public sealed class MessageIdDeduplicator(IOptions<WebhookOptions> options, TimeProvider time)
{
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, DateTimeOffset At)> _order = new();
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _seen.Count;
            }
        }
    }

    /// <summary>True when <paramref name="messageId"/> is new (it is now reserved); false for a duplicate.</summary>
    public bool TryReserve(string messageId)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        lock (_lock)
        {
            Evict(now - settings.DedupeWindow, settings.DedupeCapacity - 1);
            if (_seen.ContainsKey(messageId))
            {
                return false;
            }

            _seen[messageId] = now;
            _order.Enqueue((messageId, now));
            return true;
        }
    }

    /// <summary>Forgets a reservation whose event could not be raised, so a re-delivery is processed.</summary>
    public void Release(string messageId)
    {
        lock (_lock)
        {
            // The queue entry stays; eviction skips entries whose id is gone or was re-added later.
            _seen.Remove(messageId);
        }
    }

    private void Evict(DateTimeOffset olderThan, int keep)
    {
        while (_order.TryPeek(out var oldest) && (oldest.At < olderThan || _seen.Count > keep || _order.Count > 2 * Math.Max(keep, 1) + 16))
        {
            _order.Dequeue();
            if (_seen.TryGetValue(oldest.Id, out var at) && at == oldest.At)
            {
                _seen.Remove(oldest.Id);
            }
        }
    }
}
