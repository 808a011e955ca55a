using Microsoft.AspNetCore.Http;

namespace WabaOrchestrator.Api.Proxies;

/// <summary>
/// The caller's request body turned out unacceptable while it was being streamed to Vonage (too large, malformed).
/// Thrown from inside the forwarded stream, so it reaches <see cref="ProxyCall"/> wrapped by the HttpClient.
/// </summary>
public sealed class ProxyBodyException(IResult problem, string message) : IOException(message)
{
    public IResult Problem { get; } = problem;
}
