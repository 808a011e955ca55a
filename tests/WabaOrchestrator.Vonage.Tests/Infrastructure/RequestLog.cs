using System.Collections.Concurrent;
using System.Net.Http.Headers;

namespace WabaOrchestrator.Vonage.Tests.Infrastructure;

/// <summary>One attempt as it left the client (after auth, inside the retry loop).</summary>
public sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Body, AuthenticationHeaderValue? Authorization, string? ContentType);

/// <summary>
/// What the innermost handler saw, shared by every client of one provider; can also ask the sandbox
/// to fail the next attempts with <c>X-Sandbox-Fault</c>.
/// </summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private int _faultsLeft;
    private string? _fault;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public RecordedRequest Last => _requests.Last();

    /// <summary>The next <paramref name="count"/> attempts carry <c>X-Sandbox-Fault: kind</c>.</summary>
    public void FailNext(string kind, int count)
    {
        _fault = kind;
        Volatile.Write(ref _faultsLeft, count);
    }

    public void Clear() => _requests.Clear();

    internal void Add(RecordedRequest request) => _requests.Enqueue(request);

    internal string? TakeFault() => Interlocked.Decrement(ref _faultsLeft) >= 0 ? _fault : null;
}

/// <summary>Records each attempt; the body is captured unless it is a (streamed) multipart upload.</summary>
public sealed class RecordingHandler(RequestLog log) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove("X-Sandbox-Fault");
        if (log.TakeFault() is { } fault)
        {
            request.Headers.Add("X-Sandbox-Fault", fault);
        }

        var body = request.Content is null or MultipartContent ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        log.Add(new RecordedRequest(request.Method, request.RequestUri!, body, request.Headers.Authorization, request.Content?.Headers.ContentType?.MediaType));
        return await base.SendAsync(request, cancellationToken);
    }
}
