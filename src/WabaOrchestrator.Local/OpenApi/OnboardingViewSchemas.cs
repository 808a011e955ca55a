using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using WabaOrchestrator.Api.Onboardings;
using WabaOrchestrator.Onboarding;

namespace WabaOrchestrator.Local.OpenApi;

/// <summary>
/// The onboarding view carries custom status and output as raw JSON (the engine stores them serialized), which the
/// generator can only call "any": the schemas of the records the workflow writes there are put in their place.
/// </summary>
internal sealed class OnboardingViewSchemas : IOpenApiSchemaTransformer
{
    public async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type != typeof(OnboardingView) || schema.Properties is not { } properties)
        {
            return;
        }

        // The API shows the timeline beside the status (showHistory=true), never inside it.
        var status = await ComponentAsync(typeof(OnboardingStatus), nameof(OnboardingStatus), context, cancellationToken, without: "timeline");
        var output = await ComponentAsync(typeof(OnboardingOutput), nameof(OnboardingOutput), context, cancellationToken);
        properties["customStatus"] = new OpenApiSchema
        {
            Description = "Where the onboarding stands, updated at every step; null before the first step.",
            OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, status],
        };
        properties["output"] = new OpenApiSchema
        {
            Description = "The result once Completed (completed, with warnings, or cancelled); the reason given when Terminated; null while running or when Failed.",
            OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, output, new OpenApiSchema { Type = JsonSchemaType.String }],
        };
    }

    private static async Task<IOpenApiSchema> ComponentAsync(Type type, string id, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken, string? without = null)
    {
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(id) != true)
        {
            var schema = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
            if (without is not null)
            {
                schema.Properties?.Remove(without);
            }

            document.AddComponent(id, schema);
        }

        return new OpenApiSchemaReference(id, document);
    }
}
