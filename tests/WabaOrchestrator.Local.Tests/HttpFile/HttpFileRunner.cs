using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Local.Tests.HttpFile;

internal sealed record SentRequest(int Line, string Method, Uri Uri, int Status);

/// <summary>
/// Sends a .http file's requests in order, substituting <c>{{variable}}</c> and <c>{{name.response.body.$.path}}</c>
/// (a JSON path of dotted names and [index]); <c>{{1}}</c> and other numbers stay as written (template placeholders).
/// A request that does not answer as expected yet, or whose answer lacks a value a later request takes from it, is
/// sent again until a deadline: what a person does while the sandbox moves a deployment along.
/// </summary>
internal sealed partial class HttpFileRunner(HttpClient client, string directory, Dictionary<string, string> variables, IReadOnlyList<HttpFileRequest> requests)
{
    private readonly Dictionary<string, JsonElement> _responses = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<SentRequest>> RunAsync()
    {
        var sent = new List<SentRequest>();
        foreach (var request in requests)
        {
            var needed = requests.SelectMany(r => References(r)).Where(r => r.Name == request.Name).Select(r => r.Path).Distinct().ToList();
            var last = "";
            SentRequest? answer = null;
            var answered = Poll.UntilAsync(async () =>
            {
                using var message = Build(request);
                using var response = await client.SendAsync(message);
                var text = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                last = $"line {request.Line}: {request.Method} {message.RequestUri} answered {status}: {text}";
                answer = new SentRequest(request.Line, request.Method, message.RequestUri!, status);
                var ok = request.ExpectedStatus is { } expected ? status == expected : status is >= 200 and < 300;
                if (!ok)
                {
                    return false;
                }

                if (request.Name is { } name)
                {
                    var json = JsonDocument.Parse(text).RootElement.Clone();
                    if (needed.Any(path => Select(json, path) is null))
                    {
                        return false;
                    }

                    _responses[name] = json;
                }

                return true;
            }, $"the request at line {request.Line} to answer as the file says");
            try
            {
                await answered;
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message} Last answer: {last}", e);
            }

            sent.Add(answer!);
        }

        return sent;
    }

    private HttpRequestMessage Build(HttpFileRequest request)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), Substitute(request.Url, request.Line));
        string? contentType = null;
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = Substitute(value, request.Line);
            }
            else if (!message.Headers.TryAddWithoutValidation(name, Substitute(value, request.Line)))
            {
                throw new FormatException($"Line {request.Line}: header '{name}' cannot be sent on a request.");
            }
        }

        if (request.Body.Count > 0)
        {
            using var body = new MemoryStream();
            for (var i = 0; i < request.Body.Count; i++)
            {
                if (i > 0)
                {
                    body.Write("\r\n"u8);
                }

                var line = request.Body[i];
                body.Write(line.StartsWith("< ", StringComparison.Ordinal)
                    ? File.ReadAllBytes(Path.Combine(directory, line[2..].Trim()))
                    : Encoding.UTF8.GetBytes(Substitute(line, request.Line)));
            }

            message.Content = new ByteArrayContent(body.ToArray());
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }

        return message;
    }

    private string Substitute(string text, int line) => Reference().Replace(text, match =>
    {
        var expression = match.Groups[1].Value;
        if (expression.All(char.IsAsciiDigit))
        {
            return match.Value;
        }

        if (variables.TryGetValue(expression, out var value))
        {
            return Substitute(value, line);
        }

        if (ResponseReference().Match(expression) is { Success: true } reference)
        {
            if (!_responses.TryGetValue(reference.Groups[1].Value, out var json))
            {
                throw new FormatException($"Line {line}: {{{{{expression}}}}} names a request that has not run before it.");
            }

            return Select(json, reference.Groups[2].Value) ?? throw new FormatException($"Line {line}: {{{{{expression}}}}} is not in that answer.");
        }

        throw new FormatException($"Line {line}: unknown variable {{{{{expression}}}}}.");
    });

    private static IEnumerable<(string Name, string Path)> References(HttpFileRequest request) =>
        new[] { request.Url }.Concat(request.Headers.Select(h => h.Value)).Concat(request.Body)
            .SelectMany(text => Reference().Matches(text))
            .Select(m => ResponseReference().Match(m.Groups[1].Value))
            .Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value));

    /// <summary>The string (or number) at <paramref name="path"/> (<c>a.b[0].c</c>), or null when it is missing or null.</summary>
    private static string? Select(JsonElement json, string path)
    {
        var current = json;
        foreach (Match step in PathStep().Matches(path))
        {
            if (step.Groups[1].Success)
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(step.Groups[1].Value, out current))
                {
                    return null;
                }
            }
            else
            {
                var index = int.Parse(step.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (current.ValueKind != JsonValueKind.Array || current.GetArrayLength() <= index)
                {
                    return null;
                }

                current = current[index];
            }
        }

        return current.ValueKind switch
        {
            JsonValueKind.String => current.GetString(),
            JsonValueKind.Number => current.GetRawText(),
            _ => null,
        };
    }

    [GeneratedRegex(@"\{\{([^{}]+)\}\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)\.response\.body\.\$((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])+)$")]
    private static partial Regex ResponseReference();

    [GeneratedRegex(@"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")]
    private static partial Regex PathStep();
}
