using Microsoft.Extensions.Options;
using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Templates;

/// <summary>What the template handlers share: the store, the rules, the clock and the review delay.</summary>
internal sealed class TemplateService(
    TemplateStore store, TemplateValidator validator, TimeProvider time, IOptions<SandboxOptions> options, IOptions<TemplateLimits> limits)
{
    public TemplateStore Store => store;

    public TemplateLimits Limits => limits.Value;

    public DateTimeOffset Now => time.GetUtcNow();

    public TimeSpan ReviewDelay => options.Value.TemplateReviewDelay;

    /// <summary>The WABA's templates, or the 422 explaining that the store is at its limits.</summary>
    public (WabaTemplates? Waba, IResult? Refused) WabaFor(string wabaId)
    {
        var (waba, refusal) = store.For(wabaId);
        return (waba, waba is null ? TemplateProblems.StoreLimit(refusal!) : null);
    }

    public async Task<(TemplateDefinition? Definition, IResult? Problem)> ReadDefinitionAsync(HttpRequest request)
    {
        var (body, problem) = await SandboxJson.ReadObjectAsync(request, VonageApi.TemplateManagement);
        if (body is null)
        {
            return (null, problem);
        }

        var (definition, errors) = validator.Validate(body);
        return definition is null ? (null, TemplateProblems.Invalid(errors)) : (definition, null);
    }
}
