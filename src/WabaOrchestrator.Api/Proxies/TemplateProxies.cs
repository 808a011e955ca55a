using Microsoft.AspNetCore.Http;
using WabaOrchestrator.Vonage.Http;
using WabaOrchestrator.Vonage.Templates;
using WabaOrchestrator.Vonage.Validation;

namespace WabaOrchestrator.Api.Proxies;

/// <summary>Template Management for one WABA.</summary>
public static class TemplateProxies
{
    /// <summary>One page, with every filter and cursor Vonage takes; paging links point back at this service.</summary>
    public static Task<IResult> List(string wabaId, HttpRequest request, IVonageJsonReader vonage)
    {
        var (query, problems) = TemplateListQuery.Read(request.Query);
        return ProxyCall.SendAsync(
            [.. ProxyRules.Id(VonageFields.WabaId, wabaId), .. problems],
            ct => vonage.GetAsync(VonagePaths.TemplateList(wabaId, query), ct),
            page => ProxyCall.Relay(TemplatePagingLinks.Rewrite(page, request)),
            request.HttpContext.RequestAborted);
    }

    public static Task<IResult> Get(string wabaId, string templateId, IVonageJsonReader vonage, CancellationToken cancellationToken) =>
        ProxyCall.RelayAsync(TemplateIds(wabaId, templateId), vonage, VonagePaths.Template(wabaId, templateId), cancellationToken);

    public static Task<IResult> Create(string wabaId, HttpRequest request, ITemplatesClient templates) =>
        ProxyCall.SendJsonAsync<TemplateDefinition, CreatedTemplate>(
            request, ProxyRules.Id(VonageFields.WabaId, wabaId), VonageRules.Template,
            (body, ct) => templates.CreateAsync(wabaId, body, ct), ProxyCall.Ok);

    /// <summary>Replaces the template (204); Vonage puts it back to PENDING.</summary>
    public static Task<IResult> Update(string wabaId, string templateId, HttpRequest request, ITemplatesClient templates) =>
        ProxyCall.SendJsonAsync<TemplateDefinition, IResult>(
            request, TemplateIds(wabaId, templateId), VonageRules.Template,
            async (body, ct) =>
            {
                await templates.UpdateAsync(wabaId, templateId, body, ct);
                return ProxyCall.NoContent;
            },
            static result => result);

    /// <summary><c>?name=</c> deletes every language of a template; adding <c>&amp;hsm_id=</c> deletes only that variant.</summary>
    public static Task<IResult> Delete(string wabaId, HttpRequest request, ITemplatesClient templates)
    {
        var name = TemplateListQuery.Value(request.Query, VonageFields.Name);
        var hsmId = TemplateListQuery.Value(request.Query, VonageFields.HsmId);
        IReadOnlyList<ValidationProblem> problems =
        [
            .. ProxyRules.Id(VonageFields.WabaId, wabaId),
            .. VonageRules.Required(VonageFields.Name, name),
            .. hsmId is null ? [] : ProxyRules.Id(VonageFields.HsmId, hsmId),
        ];
        return ProxyCall.SendAsync(problems, ct => templates.DeleteAsync(wabaId, name!, hsmId, ct), ProxyCall.NoContent, request.HttpContext.RequestAborted);
    }

    private static IReadOnlyList<ValidationProblem> TemplateIds(string wabaId, string templateId) =>
        ProxyRules.Ids((VonageFields.WabaId, wabaId), (VonageFields.TemplateId, templateId));
}
