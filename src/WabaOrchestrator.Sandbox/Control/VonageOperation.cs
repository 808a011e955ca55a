using System.Collections.Frozen;
using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Control;

/// <summary>
/// Endpoint metadata naming a Vonage operation: its route template relative to the sandbox root
/// (whatever prefix the host mounts the sandbox under) and which API's error shape it uses.
/// </summary>
internal sealed class VonageOperation
{
    private static readonly string[] ApiRoots = ["/v0.1/", "/v2/"];

    private readonly FrozenDictionary<string, string> _keysByMethod;

    private VonageOperation(string route, VonageApi api, IEnumerable<string> methods)
    {
        Route = route;
        Api = api;
        _keysByMethod = methods.Distinct(StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(m => m, m => $"{m.ToUpperInvariant()} {route}", StringComparer.OrdinalIgnoreCase);
    }

    public string Route { get; }

    public VonageApi Api { get; }

    /// <summary>The statistics key, e.g. <c>GET /v0.1/whatsapp-manager/deployments/{deployment_id}</c>.</summary>
    public string KeyFor(string method) => _keysByMethod.TryGetValue(method, out var key) ? key : $"{method} {Route}";

    public static VonageOperation From(RouteEndpointBuilder endpoint)
    {
        var raw = endpoint.RoutePattern.RawText ?? "";
        var route = "/" + raw.TrimStart('/');
        var rootIndex = ApiRoots.Select(root => route.IndexOf(root, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(0).Min();
        // A group's "" route leaves a trailing slash behind the group prefix.
        route = route[rootIndex..].TrimEnd('/');

        // An explicit marker wins; otherwise the version segment tells the two APIs apart.
        var api = endpoint.Metadata.OfType<VonageApiMetadata>().LastOrDefault()?.Api
            ?? (route.StartsWith("/v2/", StringComparison.Ordinal) ? VonageApi.TemplateManagement : VonageApi.WhatsAppManager);
        var methods = endpoint.Metadata.OfType<HttpMethodMetadata>().LastOrDefault()?.HttpMethods ?? [];
        return new VonageOperation(route, api, methods);
    }
}

/// <summary>Marks an endpoint as belonging to one Vonage API, overriding the guess from its route.</summary>
internal sealed record VonageApiMetadata(VonageApi Api);
