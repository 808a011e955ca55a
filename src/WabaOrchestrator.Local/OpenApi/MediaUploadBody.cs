using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using WabaOrchestrator.Api.Proxies;

namespace WabaOrchestrator.Local.OpenApi;

/// <summary>
/// The upload handler streams the multipart body itself (no form binding), so nothing tells the generator about it:
/// the body is described here, a file in the <c>mediafile</c> part, which lets Swagger UI send one.
/// </summary>
internal sealed class MediaUploadBody : IOpenApiOperationTransformer
{
    public const string Path = "api/media/uploads";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.RelativePath == Path && context.Description.HttpMethod == HttpMethods.Post)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["multipart/form-data"] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string> { MediaProxies.PartName },
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                [MediaProxies.PartName] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                            },
                        },
                    },
                },
            };
        }

        return Task.CompletedTask;
    }
}
