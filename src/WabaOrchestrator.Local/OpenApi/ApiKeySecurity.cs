using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using WabaOrchestrator.Api.Auth;

namespace WabaOrchestrator.Local.OpenApi;

/// <summary>
/// Declares the function key as an apiKey security scheme and requires it on exactly the endpoints that check it
/// (<see cref="FunctionKeyRequired"/>), so Swagger UI shows its Authorize button and sends the header on those calls;
/// the anonymous, signature-verified inbound-SMS webhook stays without one.
/// </summary>
internal sealed class ApiKeySecurity : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string SchemeName = "functionKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = FunctionKeys.HeaderName,
            Description = "The API key (Auth:Keys; the local host generates one into the api-key file of its data directory).",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<FunctionKeyRequired>().Any())
        {
            // The reference resolves against the document at serialization, after the document transformer added the scheme.
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] });
        }

        return Task.CompletedTask;
    }
}
