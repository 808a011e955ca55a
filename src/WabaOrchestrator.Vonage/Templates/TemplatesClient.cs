using System.Runtime.CompilerServices;
using WabaOrchestrator.Vonage.Http;
using WabaOrchestrator.Vonage.Validation;

namespace WabaOrchestrator.Vonage.Templates;

/// <summary>Template Management (v2) for one WABA.</summary>
public interface ITemplatesClient
{
    /// <summary>One page; follow <see cref="TemplatePage.NextCursor"/> with <see cref="TemplateQuery.After"/>.</summary>
    Task<TemplatePage> ListAsync(string wabaId, TemplateQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Every template matching <paramref name="query"/>, page after page to the end.</summary>
    IAsyncEnumerable<Template> ListAllAsync(string wabaId, TemplateQuery? query = null, CancellationToken cancellationToken = default);

    Task<Template> GetAsync(string wabaId, string templateId, CancellationToken cancellationToken = default);

    /// <summary>Submits a template for review; it starts PENDING.</summary>
    Task<CreatedTemplate> CreateAsync(string wabaId, TemplateDefinition template, CancellationToken cancellationToken = default);

    /// <summary>Replaces a template (204); it goes back to PENDING.</summary>
    Task UpdateAsync(string wabaId, string templateId, TemplateDefinition template, CancellationToken cancellationToken = default);

    /// <summary>Deletes every language of <paramref name="name"/>, or only the variant <paramref name="hsmId"/>.</summary>
    Task DeleteAsync(string wabaId, string name, string? hsmId = null, CancellationToken cancellationToken = default);
}

public sealed class TemplatesClient(HttpClient http, TimeProvider time) : VonageHttp(http, time), ITemplatesClient
{
    public Task<TemplatePage> ListAsync(string wabaId, TemplateQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new TemplateQuery();
        VonageRules.Ensure([.. VonageRules.Id(VonageFields.WabaId, wabaId), .. VonageRules.Query(query)]);
        return GetAsync<TemplatePage>(VonagePaths.TemplateList(wabaId, query), cancellationToken);
    }

    public async IAsyncEnumerable<Template> ListAllAsync(string wabaId, TemplateQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = await ListAsync(wabaId, (query ?? new TemplateQuery()) with { Before = null }, cancellationToken);
        while (true)
        {
            foreach (var template in page.Templates)
            {
                yield return template;
            }

            // An empty page or a missing cursor is the end, whatever `next` says.
            if (page.Templates.Count == 0 || page.NextCursor is not { } after)
            {
                yield break;
            }

            page = await ListAsync(wabaId, (query ?? new TemplateQuery()) with { Before = null, After = after }, cancellationToken);
        }
    }

    public Task<Template> GetAsync(string wabaId, string templateId, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure([.. VonageRules.Id(VonageFields.WabaId, wabaId), .. VonageRules.Id(VonageFields.TemplateId, templateId)]);
        return GetAsync<Template>(VonagePaths.Template(wabaId, templateId), cancellationToken);
    }

    public Task<CreatedTemplate> CreateAsync(string wabaId, TemplateDefinition template, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure([.. VonageRules.Id(VonageFields.WabaId, wabaId), .. VonageRules.Template(template)]);
        return SendJsonAsync<CreatedTemplate>(HttpMethod.Post, VonagePaths.Templates(wabaId), template, cancellationToken);
    }

    public Task UpdateAsync(string wabaId, string templateId, TemplateDefinition template, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure([.. VonageRules.Id(VonageFields.WabaId, wabaId), .. VonageRules.Id(VonageFields.TemplateId, templateId), .. VonageRules.Template(template)]);
        return SendJsonAsync(HttpMethod.Put, VonagePaths.Template(wabaId, templateId), template, cancellationToken);
    }

    public Task DeleteAsync(string wabaId, string name, string? hsmId = null, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure([
            .. VonageRules.Id(VonageFields.WabaId, wabaId),
            .. VonageRules.Required(VonageFields.Name, name),
            .. hsmId is null ? [] : VonageRules.Id(VonageFields.HsmId, hsmId)]);
        return SendAsync(HttpMethod.Delete, VonagePaths.WithQuery(VonagePaths.Templates(wabaId), ("name", name), ("hsm_id", hsmId)), content: null, cancellationToken);
    }
}
