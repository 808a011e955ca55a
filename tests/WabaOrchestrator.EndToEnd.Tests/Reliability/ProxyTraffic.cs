using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WabaOrchestrator.EndToEnd.Tests.Reliability;

/// <summary>
/// Callers using the host's Vonage proxies while something else runs, and the verdict on every answer: a success, or
/// Vonage's own error relayed as Vonage sent it (its problem <c>type</c> under developer.nexmo.com, and a
/// <c>Retry-After</c> on a 429). Anything else — our own problem document (<c>…/problems#internal</c> is what the
/// exception handler answers for a bug), a framework page, a dropped connection — is a failure.
/// </summary>
internal sealed class ProxyTraffic(HttpClient api, string deploymentId, string wabaId, string templateId)
{
    public const string VonageProblemTypes = "https://developer.nexmo.com/api-errors/";
    public const string CreateTemplate = "create template";

    private readonly ConcurrentBag<string> _wrong = [];
    private readonly ConcurrentDictionary<string, int> _tally = new(StringComparer.Ordinal);
    private int _created;
    private int _relayed;

    /// <summary>Answers that were neither a success nor Vonage's relayed error, described.</summary>
    public IReadOnlyCollection<string> Wrong => _wrong;

    /// <summary>Answers by operation and status, e.g. <c>create template 500</c>.</summary>
    public IReadOnlyDictionary<string, int> Tally => _tally;

    public int Calls => _tally.Values.Sum();

    public int Count(string operation, int status) => _tally.GetValueOrDefault($"{operation} {status}");

    /// <summary>Vonage's errors relayed as they should be.</summary>
    public int Relayed => _relayed;

    /// <summary>
    /// <paramref name="callers"/> concurrent callers cycle through the operations until <paramref name="stop"/>, each
    /// making at least <paramref name="minimumRounds"/> rounds.
    /// </summary>
    public Task RunAsync(int callers, int minimumRounds, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, callers).Select(async _ =>
        {
            for (var round = 0; round < minimumRounds || !stop.IsCancellationRequested; round++)
            {
                await CallAsync("list templates", () => api.GetAsync($"api/wabas/{wabaId}/templates?limit=10"));
                await CallAsync(CreateTemplate, () => api.PostAsJsonAsync($"api/wabas/{wabaId}/templates", Template(Interlocked.Increment(ref _created))));
                await CallAsync("get template", () => api.GetAsync($"api/wabas/{wabaId}/templates/{templateId}"));
                await CallAsync("get profile", () => api.GetAsync($"api/deployments/{deploymentId}/profile"));
                await CallAsync("list stickerpacks", () => api.GetAsync($"api/deployments/{deploymentId}/stickerpacks"));
                await CallAsync("get deployment", () => api.GetAsync($"api/deployments/{deploymentId}"));
            }
        }));

    public static object Template(int n) => new
    {
        name = $"reliability_notice_{n}",
        language = "en",
        category = "UTILITY",
        components = new object[] { new { type = "BODY", text = $"Hello {{{{1}}}}, notice {n} is ready.", example = new { body_text = new[] { new[] { "Ana" } } } } },
    };

    private async Task CallAsync(string operation, Func<Task<HttpResponseMessage>> call)
    {
        try
        {
            using var response = await call();
            var body = await response.Content.ReadAsStringAsync();
            _tally.AddOrUpdate($"{operation} {(int)response.StatusCode}", 1, (_, n) => n + 1);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (Verdict(response, body) is { } wrong)
            {
                _wrong.Add($"{operation}: {(int)response.StatusCode} {wrong}; Retry-After {response.Headers.RetryAfter}; {response.Content.Headers.ContentType}; {body}");
            }
            else
            {
                Interlocked.Increment(ref _relayed);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            _wrong.Add($"{operation}: no answer ({e.GetType().Name}: {e.Message})");
        }
    }

    /// <summary>Null when the error is Vonage's, relayed as Vonage sent it; else what is wrong with it.</summary>
    private static string? Verdict(HttpResponseMessage response, string body)
    {
        string? type;
        try
        {
            using var problem = JsonDocument.Parse(body);
            type = problem.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
        }
        catch (JsonException)
        {
            return "not a JSON problem document";
        }

        if (type is null || !type.StartsWith(VonageProblemTypes, StringComparison.Ordinal))
        {
            return $"not Vonage's error (type {type ?? "missing"})";
        }

        return response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.RetryAfter is null ? "a relayed 429 without Retry-After" : null;
    }
}
