namespace WabaOrchestrator.Vonage.Http;

/// <summary>
/// Reads a Vonage resource as the UTF-8 JSON Vonage sent, through the same handlers as the typed clients (token,
/// retries, timeouts) and with the same errors (<see cref="Errors.VonageApiException"/>). For relaying: a proxy
/// that answers Vonage's bytes costs no parse and re-serialization, and fields Vonage adds after these models were
/// written still reach its callers.
/// </summary>
public interface IVonageJsonReader
{
    /// <param name="path">Relative to the API root; build it with <see cref="VonagePaths"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ReadOnlyMemory<byte>> GetAsync(string path, CancellationToken cancellationToken = default);
}

public sealed class VonageJsonReader(HttpClient http, TimeProvider time) : VonageHttp(http, time), IVonageJsonReader
{
    public Task<ReadOnlyMemory<byte>> GetAsync(string path, CancellationToken cancellationToken = default) => GetBytesAsync(path, cancellationToken);
}
