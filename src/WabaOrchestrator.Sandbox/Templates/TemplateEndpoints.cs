using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WabaOrchestrator.Sandbox.Infrastructure;
using WabaOrchestrator.Sandbox.Media;

namespace WabaOrchestrator.Sandbox.Templates;

internal static class TemplateEndpoints
{
    public const string TemplatesPath = "/v2/whatsapp-manager/wabas/{id}/templates";
    public const string TemplatePath = TemplatesPath + "/{template_id}";

    public static IServiceCollection AddSandboxTemplates(this IServiceCollection services)
    {
        services.AddOptions<TemplateLimits>()
            .BindConfiguration(TemplateLimits.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TemplateStore>();
        services.AddSingleton<IResettable>(sp => sp.GetRequiredService<TemplateStore>());
        services.AddSingleton<TemplateValidator>();
        services.AddSingleton<TemplateService>();
        services.AddSandboxMedia();
        return services;
    }

    public static IEndpointRouteBuilder MapTemplates(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(TemplatesPath, List);
        endpoints.MapPost(TemplatesPath, CreateAsync);
        endpoints.MapDelete(TemplatesPath, Delete);
        endpoints.MapGet(TemplatePath, Get);
        endpoints.MapPut(TemplatePath, UpdateAsync);
        return endpoints;
    }

    private static IResult List(string id, HttpRequest request, TemplateService templates)
    {
        var (query, errors) = TemplateListQuery.Parse(request.Query);
        if (query is null)
        {
            return TemplateProblems.Invalid(errors);
        }

        var (waba, refused) = templates.WabaFor(id);
        if (waba is null)
        {
            return refused!;
        }

        var page = waba.Page(query.Filter, query.Start, query.Limit, templates.Now);
        var before = page.Templates.Count > 0 ? TemplateCursor.For(page.Templates[0].Template) : null;
        var after = page.Templates.Count > 0 ? TemplateCursor.For(page.Templates[^1].Template) : null;
        var paging = new TemplatePaging(
            new TemplateCursors(before, after),
            page.HasNext ? TemplateListQuery.PageLink(request, "after", after!) : null,
            page.HasPrevious ? TemplateListQuery.PageLink(request, "before", before!) : null);
        return new TemplateListResult(paging, page.Templates);
    }

    private static async Task<IResult> CreateAsync(string id, HttpRequest request, TemplateService templates)
    {
        var (definition, problem) = await templates.ReadDefinitionAsync(request);
        if (definition is null)
        {
            return problem!;
        }

        var (waba, refused) = templates.WabaFor(id);
        if (waba is null)
        {
            return refused!;
        }

        var (template, result) = waba.Add(definition, templates.Store.NextId, templates.Now, templates.ReviewDelay);
        return result switch
        {
            TemplateChange.Done => Results.Json(new TemplateCreated(template!.Id), SandboxJson.Options),
            TemplateChange.Duplicate => TemplateProblems.Invalid(
                $"A template named {definition.Name} already exists in language {definition.Language} (id {template!.Id}).",
                new InvalidParameter("name", $"Is already used by template {template.Id} in language {definition.Language}; update that template or pick another name or language.")),
            TemplateChange.WabaFull => TemplateProblems.StoreLimit($"WABA {id} holds its maximum of {templates.Limits.MaxTemplatesPerWaba} templates; delete some first."),
            _ => TemplateProblems.StoreLimit($"The sandbox holds its maximum of {templates.Limits.MaxTemplates} templates; delete some or POST /_sandbox/reset."),
        };
    }

    private static IResult Get(string id, [FromRoute(Name = "template_id")] string templateId, TemplateService templates)
    {
        var (waba, refused) = templates.WabaFor(id);
        if (waba is null)
        {
            return refused!;
        }

        return TryParseId(templateId) is { } key && waba.Get(key, templates.Now) is { } stored
            ? Results.Bytes(stored.Json, "application/json; charset=utf-8")
            : TemplateProblems.NotFound(id, templateId);
    }

    private static async Task<IResult> UpdateAsync(string id, [FromRoute(Name = "template_id")] string templateId, HttpRequest request, TemplateService templates)
    {
        var (waba, refused) = templates.WabaFor(id);
        if (waba is null)
        {
            return refused!;
        }

        if (TryParseId(templateId) is not { } key || waba.Get(key, templates.Now) is null)
        {
            return TemplateProblems.NotFound(id, templateId);
        }

        var (definition, problem) = await templates.ReadDefinitionAsync(request);
        if (definition is null)
        {
            return problem!;
        }

        var (current, result) = waba.Update(key, definition, templates.Now, templates.ReviewDelay);
        return result switch
        {
            TemplateChange.Done => Results.NoContent(),
            TemplateChange.NotFound => TemplateProblems.NotFound(id, templateId),
            TemplateChange.NotEditable => TemplateProblems.Invalid(
                $"Template {templateId} is {current!.Status}; only APPROVED, REJECTED or PAUSED templates can be edited.",
                new InvalidParameter("template_id", $"Cannot be edited while {current.Status}.")),
            TemplateChange.NameChanged => TemplateProblems.Invalid(
                $"Template {templateId} is named {current!.Name}; a template's name cannot be changed.",
                new InvalidParameter("name", $"Must stay {current.Name}: create a new template for another name.")),
            _ => TemplateProblems.Invalid(
                $"Template {templateId} is in language {current!.Language}; a template's language cannot be changed.",
                new InvalidParameter("language", $"Must stay {current.Language}: create a new template for another language.")),
        };
    }

    private static IResult Delete(string id, HttpRequest request, TemplateService templates)
    {
        var name = request.Query["name"].LastOrDefault();
        var hsmId = request.Query["hsm_id"].LastOrDefault();
        if (string.IsNullOrEmpty(name))
        {
            return TemplateProblems.Invalid([new InvalidParameter("name", "Is required: the name of the template(s) to delete.")]);
        }

        var (waba, refused) = templates.WabaFor(id);
        if (waba is null)
        {
            return refused!;
        }

        long? key = null;
        if (!string.IsNullOrEmpty(hsmId))
        {
            key = TryParseId(hsmId);
            if (key is null)
            {
                return TemplateProblems.NotFoundByName(id, name, hsmId);
            }
        }

        return waba.Delete(name, key, templates.Now) > 0 ? Results.NoContent() : TemplateProblems.NotFoundByName(id, name, hsmId);
    }

    private static long? TryParseId(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
