using System.Net;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace WabaOrchestrator.Local.OpenApi;

/// <summary>
/// Summaries and descriptions taken from XML doc comments keep their XML escapes (<c>&amp;amp;</c>), which Swagger UI
/// then shows literally: every text of the document is decoded to plain text once it is complete.
/// </summary>
internal sealed class PlainText : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description = Decode(tag.Description);
        }

        foreach (var path in (document.Paths ?? []).Values.OfType<OpenApiPathItem>())
        {
            path.Summary = Decode(path.Summary);
            path.Description = Decode(path.Description);
            foreach (var operation in (path.Operations ?? []).Values)
            {
                Operation(operation);
            }
        }

        var visited = new HashSet<OpenApiSchema>(ReferenceEqualityComparer.Instance);
        foreach (var schema in (document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>()).Values)
        {
            Schema(schema, visited);
        }

        return Task.CompletedTask;
    }

    private static void Operation(OpenApiOperation operation)
    {
        operation.Summary = Decode(operation.Summary);
        operation.Description = Decode(operation.Description);
        var visited = new HashSet<OpenApiSchema>(ReferenceEqualityComparer.Instance);
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            parameter.Description = Decode(parameter.Description);
            Schema(parameter.Schema, visited);
        }

        if (operation.RequestBody is OpenApiRequestBody body)
        {
            body.Description = Decode(body.Description);
            foreach (var media in (body.Content ?? new Dictionary<string, OpenApiMediaType>()).Values)
            {
                Schema(media.Schema, visited);
            }
        }

        foreach (var response in (operation.Responses ?? []).Values.OfType<OpenApiResponse>())
        {
            response.Description = Decode(response.Description);
            foreach (var media in (response.Content ?? new Dictionary<string, OpenApiMediaType>()).Values)
            {
                Schema(media.Schema, visited);
            }
        }
    }

    /// <summary>Only inline schemas: a reference is decoded where its component is.</summary>
    private static void Schema(IOpenApiSchema? schema, HashSet<OpenApiSchema> visited)
    {
        if (schema is not OpenApiSchema concrete || !visited.Add(concrete))
        {
            return;
        }

        concrete.Title = Decode(concrete.Title);
        concrete.Description = Decode(concrete.Description);
        foreach (var child in (concrete.Properties ?? new Dictionary<string, IOpenApiSchema>()).Values
            .Concat(concrete.AllOf ?? []).Concat(concrete.AnyOf ?? []).Concat(concrete.OneOf ?? []))
        {
            Schema(child, visited);
        }

        Schema(concrete.Items, visited);
        Schema(concrete.AdditionalProperties, visited);
    }

    private static string? Decode(string? text) => text is null ? null : WebUtility.HtmlDecode(text);
}
