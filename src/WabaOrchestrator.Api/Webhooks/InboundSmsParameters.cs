using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace WabaOrchestrator.Api.Webhooks;

/// <summary>
/// An inbound SMS as Vonage may deliver it: a JSON POST, a form-encoded POST, or a GET with query parameters (the
/// account's "HTTP method" setting). All three become one name → value map (names compared ignoring case).
/// </summary>
public static class InboundSmsParameters
{
    /// <summary>The parameters, or why the body cannot be read (a 400's detail).</summary>
    public static (Dictionary<string, string>? Parameters, string? Error) Parse(HttpRequest request, byte[] body)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        // Only a GET is read from the query: a POST's parameters must be in its body, which the signature covers.
        if (HttpMethods.IsGet(request.Method))
        {
            foreach (var (name, values) in request.Query)
            {
                parameters[name] = values.ToString();
            }

            return (parameters, null);
        }

        if (request.HasFormContentType)
        {
            foreach (var (name, values) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
            {
                parameters[name] = values.ToString();
            }

            return (parameters, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, "The body must be a JSON object.");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                parameters[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Null => "",
                    _ => property.Value.GetRawText(),
                };
            }

            return (parameters, null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: GetString on a string JSON escapes into invalid UTF-16 ("\ud800").
            return (null, "The body is neither JSON nor form-encoded.");
        }
    }
}
