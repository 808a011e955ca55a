using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Api.Infrastructure;
using WabaOrchestrator.Api.Proxies;
using WabaOrchestrator.Vonage.Http;
using WabaOrchestrator.Vonage.Media;
using WabaOrchestrator.Vonage.Templates;

namespace WabaOrchestrator.Functions.Http;

/// <summary>The template and media-upload proxies of <see cref="ProxyEndpoints"/>.</summary>
public sealed class TemplateTriggers(IVonageJsonReader vonage, ITemplatesClient templates, IMediaClient media, IOptions<ProxyOptions> proxyOptions)
{
    private const string Templates = "wabas/{wabaId}/templates";

    [Function("ListTemplates")]
    public Task<IResult> List([HttpTrigger(AuthorizationLevel.Function, "get", Route = Templates)] HttpRequest request, string wabaId) =>
        ApiCall.RunAsync(request, () => TemplateProxies.List(wabaId, request, vonage));

    [Function("CreateTemplate")]
    public Task<IResult> Create([HttpTrigger(AuthorizationLevel.Function, "post", Route = Templates)] HttpRequest request, string wabaId) =>
        ApiCall.RunAsync(request, EndpointConventions.JsonBodyLimit, () => TemplateProxies.Create(wabaId, request, templates));

    [Function("DeleteTemplates")]
    public Task<IResult> Delete([HttpTrigger(AuthorizationLevel.Function, "delete", Route = Templates)] HttpRequest request, string wabaId) =>
        ApiCall.RunAsync(request, () => TemplateProxies.Delete(wabaId, request, templates));

    [Function("GetTemplate")]
    public Task<IResult> Get([HttpTrigger(AuthorizationLevel.Function, "get", Route = Templates + "/{templateId}")] HttpRequest request, string wabaId, string templateId) =>
        ApiCall.RunAsync(request, () => TemplateProxies.Get(wabaId, templateId, vonage, request.HttpContext.RequestAborted));

    [Function("UpdateTemplate")]
    public Task<IResult> Update([HttpTrigger(AuthorizationLevel.Function, "put", Route = Templates + "/{templateId}")] HttpRequest request, string wabaId, string templateId) =>
        ApiCall.RunAsync(request, EndpointConventions.JsonBodyLimit, () => TemplateProxies.Update(wabaId, templateId, request, templates));

    [Function("UploadMedia")]
    public Task<IResult> UploadMedia([HttpTrigger(AuthorizationLevel.Function, "post", Route = "media/uploads")] HttpRequest request) =>
        ApiCall.RunAsync(request, () => MediaProxies.Upload(request.HttpContext, media, proxyOptions));
}
