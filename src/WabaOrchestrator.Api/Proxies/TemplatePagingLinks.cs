using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;
using WabaOrchestrator.Api.Infrastructure;

namespace WabaOrchestrator.Api.Proxies;

/// <summary>
/// Rewrites <c>paging.next</c>/<c>previous</c> from Vonage's URLs (which callers cannot use: they hold no Vonage
/// token) to this service's list URL, keeping the cursor and the filters. Only the list's own parameters are carried,
/// so the caller's <c>?code=</c> key never ends up in a link. The origin is <see cref="PublicOrigin"/>'s.
/// </summary>
public static class TemplatePagingLinks
{
    /// <summary>
    /// Vonage's page with only its top-level <c>paging</c> object replaced: the templates are copied byte for byte,
    /// so a page costs one forward scan rather than a parse and a re-serialization.
    /// </summary>
    public static ReadOnlyMemory<byte> Rewrite(ReadOnlyMemory<byte> page, HttpRequest request)
    {
        if (FindPaging(page.Span) is not var (start, length) || JsonNode.Parse(page.Span.Slice(start, length)) is not JsonObject paging)
        {
            return page;
        }

        foreach (var link in (ReadOnlySpan<string>)["next", "previous"])
        {
            if (paging[link] is JsonValue value && value.TryGetValue<string>(out var url))
            {
                paging[link] = Rewrite(url, request);
            }
        }

        var buffer = new ArrayBufferWriter<byte>(page.Length + 256);
        buffer.Write(page.Span[..start]);
        // The links are read by people and clients, never embedded in HTML: keep their '&' readable rather than \u0026.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            paging.WriteTo(writer);
        }

        buffer.Write(page.Span[(start + length)..]);
        return buffer.WrittenMemory;
    }

    public static string? Rewrite(string? vonageUrl, HttpRequest request)
    {
        if (string.IsNullOrEmpty(vonageUrl))
        {
            return vonageUrl;
        }

        var queryStart = vonageUrl.IndexOf('?', StringComparison.Ordinal);
        var vonage = new QueryCollection(QueryHelpers.ParseQuery(queryStart < 0 ? "" : vonageUrl[queryStart..]));
        var query = new QueryBuilder();
        foreach (var name in TemplateListQuery.Parameters)
        {
            // Vonage's link is authoritative for the cursor; the caller's filters fill in anything it left out.
            var value = TemplateListQuery.Value(vonage, name)
                ?? (name is "after" or "before" ? null : TemplateListQuery.Value(request.Query, name));
            if (value is not null)
            {
                query.Add(name, value);
            }
        }

        return PublicOrigin.Url(request, request.Path, query.ToQueryString());
    }

    // Where the value of the root object's "paging" property sits, if it is an object.
    private static (int Start, int Length)? FindPaging(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isPaging = reader.ValueTextEquals("paging"u8);
            reader.Read();
            if (isPaging && reader.TokenType == JsonTokenType.StartObject)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                return (start, (int)reader.BytesConsumed - start);
            }

            reader.Skip();
        }

        return null;
    }
}
