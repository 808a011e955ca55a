using System.Net.Http.Headers;
using System.Text.Json;

namespace WabaOrchestrator.EndToEnd.Tests.BadInput;

/// <summary>
/// What every bad request must get: a 4xx (the case's exact status when it names one), never a 5xx, and
/// <c>application/problem+json</c> with at least <c>type</c> and <c>title</c>. That holds for Vonage's errors the proxies
/// relay too: <c>ApiProblems.Relay</c> answers Vonage's own problem document under <c>application/problem+json</c>, or one
/// of ours with Vonage's status when Vonage's body was not a problem document. Nothing secret comes back.
/// </summary>
public static class AnswerCheck
{
    /// <summary>Null when the answer is right; otherwise the one line the failure report shows for it.</summary>
    public static string? Problem(BadRequestCase request, RawResponse answer, IReadOnlyList<string> secrets)
    {
        var why = Why(request, answer, secrets);
        return why is null ? null : $"{request.Name}\n    {request.Method} {Head(request.Target, 120)}\n    -> {answer.Status} [{answer.ContentType}] {why}: {Head(answer.Error ?? answer.Body, 300)}";
    }

    private static string? Why(BadRequestCase request, RawResponse answer, IReadOnlyList<string> secrets)
    {
        if (answer.Status == 0)
        {
            return "no answer";
        }

        if (answer.Status is < 400 or > 499)
        {
            return "not a 4xx";
        }

        if (request.Status is { } expected && answer.Status != expected)
        {
            return $"expected {expected}";
        }

        if (secrets.FirstOrDefault(s => answer.Body.Contains(s, StringComparison.Ordinal) || answer.Headers.Values.Any(v => v.Contains(s, StringComparison.Ordinal))) is { } leaked)
        {
            return $"echoes a secret ({leaked[..4]}…)";
        }

        if (answer.Body.Contains("   at ", StringComparison.Ordinal))
        {
            return "shows a stack trace";
        }

        return request.Answer == BadAnswer.ProtocolRejection ? null : ProblemDocument(answer);
    }

    private static string? ProblemDocument(RawResponse answer)
    {
        if (!MediaTypeHeaderValue.TryParse(answer.ContentType, out var type) || type.MediaType != "application/problem+json")
        {
            return "not problem+json";
        }

        try
        {
            using var document = JsonDocument.Parse(answer.Body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var problemType) || problemType.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("title", out var title) || title.ValueKind != JsonValueKind.String)
            {
                return "a problem without type and title";
            }

            return root.TryGetProperty("status", out var status) && (!status.TryGetInt32(out var value) || value != answer.Status)
                ? "a problem whose status is not the answer's"
                : null;
        }
        catch (JsonException)
        {
            return "a problem body that is not JSON";
        }
    }

    private static string Head(string text, int length)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= length ? flat : flat[..length] + $"… ({text.Length} chars)";
    }
}
