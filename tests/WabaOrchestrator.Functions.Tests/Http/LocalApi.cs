using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using WabaOrchestrator.Api;
using WabaOrchestrator.Api.Webhooks;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Functions.Tests.Hosting;
using WabaOrchestrator.Onboarding;

namespace WabaOrchestrator.Functions.Tests.Http;

/// <summary>One route of the local host's API: path with its "/api" prefix, methods in upper case, the Api handler.</summary>
internal sealed record LocalRoute(string Path, IReadOnlyList<string> Methods, MethodInfo Handler);

/// <summary>The local host's route table, read from the real endpoint table <c>MapWabaApi</c> builds.</summary>
internal static class LocalApi
{
    public static List<LocalRoute> Routes() =>
        Endpoints()
            .Select(e => new LocalRoute(
                Normalize(e.RoutePattern.RawText!),
                [.. e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Order()],
                e.Metadata.OfType<MethodInfo>().Single()))
            .ToList();

    /// <summary>
    /// The local routes no key guards, as "METHOD /path": <c>MapWabaApi</c> maps the webhooks on "/api" outside its
    /// key-checked group (the key check is an endpoint filter, which leaves no trace in endpoint metadata).
    /// </summary>
    public static HashSet<string> AnonymousRoutes() =>
        Endpoints(e => e.MapGroup("/api").MapWebhooks())
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {Normalize(e.RoutePattern.RawText!)}"))
            .ToHashSet();

    public static List<RouteEndpoint> Endpoints() => Endpoints(e => e.MapWabaApi());

    private static List<RouteEndpoint> Endpoints(Action<IEndpointRouteBuilder> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The endpoint table infers parameter sources from what is registered, so register what the local host has.
        foreach (var service in FunctionsTestServices.Collection())
        {
            builder.Services.Add(service);
        }

        builder.Services.AddWabaApi();
        builder.Services.AddSingleton(Mock.Of<IOrchestrationClient>());
        builder.Services.AddSingleton<OnboardingStarter>(_ => throw new InvalidOperationException("Not resolved while reading routes."));
        var app = builder.Build();
        map(app);
        return ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(s => s.Endpoints)
            .OfType<RouteEndpoint>()
            .ToList();
    }

    /// <summary>A route as "/segment/…" with no trailing slash, however it was written.</summary>
    public static string Normalize(string path) => "/" + path.Trim('/');
}
