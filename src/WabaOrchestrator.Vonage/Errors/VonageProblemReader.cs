using System.Text.Json;

namespace WabaOrchestrator.Vonage.Errors;

/// <summary>Turns a non-2xx response into a <see cref="VonageApiException"/>, whatever the body looks like.</summary>
internal static class VonageProblemReader
{
    public static async Task<VonageApiException> ReadAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        var raw = response.Content is null ? "" : await response.Content.ReadAsStringAsync(cancellationToken);
        return Parse(response.StatusCode, raw, RetryAfterOf(response, time), response.RequestMessage?.Method, response.RequestMessage?.RequestUri);
    }

    public static VonageApiException Parse(System.Net.HttpStatusCode status, string raw, TimeSpan? retryAfter, HttpMethod? method = null, Uri? uri = null)
    {
        string? type = null, title = null, detail = null, instance = null;
        var invalid = new List<VonageInvalidParameter>();
        try
        {
            using var document = JsonDocument.Parse(raw);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                var root = document.RootElement;
                type = StringOf(root, "type");
                title = StringOf(root, "title");
                detail = StringOf(root, "detail");
                instance = StringOf(root, "instance") ?? StringOf(root, "instance_id");
                if (root.TryGetProperty("invalid_parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Array)
                {
                    foreach (var parameter in parameters.EnumerateArray())
                    {
                        if (parameter.ValueKind == JsonValueKind.Object && StringOf(parameter, "name") is { } name)
                        {
                            invalid.Add(new VonageInvalidParameter(name, StringOf(parameter, "reason")));
                        }
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a gateway's HTML page, an empty body): the status and raw body still tell the story.
        }

        return new VonageApiException(status, type, title, detail, instance, invalid, retryAfter, raw, method, uri);
    }

    /// <summary>Retry-After as delta-seconds or an HTTP date, relative to now.</summary>
    public static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header is null)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;
}
