using Microsoft.Extensions.Options;

namespace WabaOrchestrator.Api.Webhooks;

/// <summary>
/// A GET delivery carries its SMS in the query string, which Vonage's token does not sign: its <c>payload_hash</c>
/// covers the empty body. So each such token is bound to the query it first arrived with, for as long as its
/// <c>iat</c> can be accepted (twice <see cref="WebhookOptions.MaxClockSkew"/>): a captured token cannot carry another
/// number or code, while Vonage retrying the very same request still gets through. In memory and bounded by
/// <see cref="WebhookOptions.DedupeCapacity"/>, like the message dedupe.
/// </summary>
public sealed class QueryTokenBindings(IOptions<WebhookOptions> options, TimeProvider time)
{
    private readonly Dictionary<string, string> _queries = new(StringComparer.Ordinal);
    private readonly Queue<(string Token, DateTimeOffset At)> _order = new();
    private readonly Lock _lock = new();

    /// <summary>False when <paramref name="token"/> was already used with another query.</summary>
    public bool TryBind(string token, string query)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        lock (_lock)
        {
            while (_order.TryPeek(out var oldest) && (oldest.At < now - 2 * settings.MaxClockSkew || _queries.Count >= settings.DedupeCapacity))
            {
                _order.Dequeue();
                _queries.Remove(oldest.Token);
            }

            if (_queries.TryGetValue(token, out var bound))
            {
                return string.Equals(bound, query, StringComparison.Ordinal);
            }

            _queries[token] = query;
            _order.Enqueue((token, now));
            return true;
        }
    }
}
