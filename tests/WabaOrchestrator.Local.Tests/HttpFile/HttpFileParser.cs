using System.Text.RegularExpressions;

namespace WabaOrchestrator.Local.Tests.HttpFile;

/// <summary>One request of a .http file, still with its <c>{{…}}</c> references.</summary>
internal sealed record HttpFileRequest(
    int Line, string? Name, int? ExpectedStatus, string Method, string Url, IReadOnlyList<(string Name, string Value)> Headers, IReadOnlyList<string> Body);

/// <summary>
/// The subset of the REST Client .http format the local host's file uses, parsed strictly so that anything else fails
/// the test instead of being silently skipped: <c>@name = value</c> variables before the first request, requests
/// separated by <c>###</c>, <c># @name</c> and <c># @expect status</c> comments, request line, headers, a blank line,
/// then the body (a <c>&lt; ./file</c> line includes a file).
/// </summary>
internal static partial class HttpFileParser
{
    public static (Dictionary<string, string> Variables, List<HttpFileRequest> Requests) Parse(string[] lines)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var requests = new List<HttpFileRequest>();
        var i = 0;
        for (; i < lines.Length && !lines[i].StartsWith("###", StringComparison.Ordinal); i++)
        {
            if (Variable().Match(lines[i]) is { Success: true } variable)
            {
                variables.Add(variable.Groups[1].Value, variable.Groups[2].Value.Trim());
            }
            else if (!IsComment(lines[i]) && lines[i].Trim().Length > 0)
            {
                throw new FormatException($"Line {i + 1}: only comments and @variables may come before the first ###: '{lines[i]}'.");
            }
        }

        while (i < lines.Length)
        {
            var start = ++i;
            while (i < lines.Length && !lines[i].StartsWith("###", StringComparison.Ordinal))
            {
                i++;
            }

            requests.Add(Request(lines, start, i));
        }

        return (variables, requests);
    }

    private static HttpFileRequest Request(string[] lines, int start, int end)
    {
        string? name = null;
        int? expected = null;
        var i = start;
        for (; i < end && (IsComment(lines[i]) || lines[i].Trim().Length == 0); i++)
        {
            if (Directive().Match(lines[i]) is { Success: true } directive)
            {
                switch (directive.Groups[1].Value)
                {
                    case "name": name = directive.Groups[2].Value.Trim(); break;
                    case "expect": expected = int.Parse(directive.Groups[2].Value.Trim(), System.Globalization.CultureInfo.InvariantCulture); break;
                    default: throw new FormatException($"Line {i + 1}: unsupported directive '{lines[i]}'.");
                }
            }
        }

        if (i == end || RequestLine().Match(lines[i]) is not { Success: true } requestLine)
        {
            throw new FormatException($"Line {i + 1}: expected 'METHOD URL' after ###.");
        }

        var line = i + 1;
        var headers = new List<(string, string)>();
        for (i++; i < end && lines[i].Trim().Length > 0; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || IsComment(lines[i]))
            {
                throw new FormatException($"Line {i + 1}: expected a 'Name: value' header: '{lines[i]}'.");
            }

            headers.Add((lines[i][..colon].Trim(), lines[i][(colon + 1)..].Trim()));
        }

        var body = lines[Math.Min(i + 1, end)..end].ToList();
        while (body.Count > 0 && body[^1].Trim().Length == 0)
        {
            body.RemoveAt(body.Count - 1);
        }

        if (body.Count > 0 && headers.Count(h => h.Item1.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) != 1)
        {
            throw new FormatException($"Line {line}: a request with a body needs one Content-Type header.");
        }

        return new HttpFileRequest(line, name, expected, requestLine.Groups[1].Value, requestLine.Groups[2].Value, headers, body);
    }

    private static bool IsComment(string line) => line.TrimStart().StartsWith('#') || line.TrimStart().StartsWith("//", StringComparison.Ordinal);

    [GeneratedRegex(@"^@([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^#\s*@([A-Za-z]+)\s+(.+)$")]
    private static partial Regex Directive();

    [GeneratedRegex(@"^(GET|POST|PUT|PATCH|DELETE) (\S+)( HTTP/1\.1)?$")]
    private static partial Regex RequestLine();
}
