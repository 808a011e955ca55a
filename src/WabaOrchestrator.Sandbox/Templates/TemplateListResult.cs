using System.Text.Json;
using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Templates;

/// <summary>
/// Writes <c>{"paging": …, "templates": […]}</c> from each template's cached JSON, so a page of up to
/// 500 templates costs a copy of bytes rather than a serialization of every template.
/// </summary>
internal sealed class TemplateListResult(TemplatePaging paging, IReadOnlyList<StoredTemplate> templates) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WritePropertyName("paging");
        JsonSerializer.Serialize(writer, paging, SandboxJson.Options);
        writer.WriteStartArray("templates");
        foreach (var template in templates)
        {
            writer.WriteRawValue(template.Json.Span, skipInputValidation: true);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(httpContext.RequestAborted);
    }
}
