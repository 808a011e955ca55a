using System.Net.Http.Json;
using System.Text.Json;
using WabaOrchestrator.Vonage.Errors;

namespace WabaOrchestrator.Vonage.Http;

/// <summary>The request/response plumbing every area client shares.</summary>
public abstract class VonageHttp(HttpClient http, TimeProvider time)
{
    protected Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Get, path, content: null, cancellationToken);

    protected Task<TResponse> SendJsonAsync<TResponse>(HttpMethod method, string path, object body, CancellationToken cancellationToken) =>
        SendAsync<TResponse>(method, path, JsonContent.Create(body, body.GetType(), options: VonageJson.Options), cancellationToken);

    protected Task SendJsonAsync(HttpMethod method, string path, object body, CancellationToken cancellationToken) =>
        SendAsync(method, path, JsonContent.Create(body, body.GetType(), options: VonageJson.Options), cancellationToken);

    protected async Task<ReadOnlyMemory<byte>> GetBytesAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(HttpMethod.Get, path, content: null, configure: null, cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    protected async Task SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(method, path, content, configure: null, cancellationToken);
    }

    protected async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, Action<HttpRequestMessage>? configure = null, Func<T>? whenEmpty = null)
    {
        using var response = await SendCoreAsync(method, path, content, configure, cancellationToken);
        if (whenEmpty is not null && (response.StatusCode == System.Net.HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0))
        {
            return whenEmpty();
        }

        // The body is already buffered (default completion): a synchronous parse of the buffer
        // skips the async deserializer's machinery, which costs more than the parse itself here.
        using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return JsonSerializer.Deserialize<T>(body, VonageJson.Options)
            ?? throw new InvalidOperationException($"Vonage {method} {path} returned {(int)response.StatusCode} with an empty body.");
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpMethod method, string path, HttpContent? content, Action<HttpRequestMessage>? configure, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        configure?.Invoke(request);
        // Vonage's answers are small JSON documents: buffering them (the default completion) keeps
        // the body read inside the per-attempt timeout and lets the parse run synchronously.
        var response = await http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await VonageProblemReader.ReadAsync(response, time, cancellationToken);
        }
    }

}
