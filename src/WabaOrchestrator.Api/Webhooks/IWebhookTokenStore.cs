namespace WabaOrchestrator.Api.Webhooks;

/// <summary>
/// Remembers the signed webhook tokens already used, shared by every instance of a host and kept across restarts, so
/// a captured token cannot be replayed with another request. Keys and values are hashes: a token itself is never
/// stored.
/// </summary>
public interface IWebhookTokenStore
{
    /// <summary>
    /// Records the first use of <paramref name="tokenHash"/> with <paramref name="bindingHash"/> (what the request
    /// carried besides the token) until <paramref name="expiresAt"/>. True when the token is new, or was used with this
    /// very binding (Vonage retrying the same request); false when it was used with another one.
    /// </summary>
    Task<bool> TryUseAsync(string tokenHash, string bindingHash, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
