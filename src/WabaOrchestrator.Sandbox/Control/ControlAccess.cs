using System.Net;

namespace WabaOrchestrator.Sandbox.Control;

/// <summary>
/// Lets a host that embeds the sandbox admit control requests from elsewhere than loopback, e.g. with its API key.
/// </summary>
public interface ISandboxControlAuthorizer
{
    bool IsAuthorized(HttpContext context);
}

/// <summary>
/// Who may operate the sandbox under <c>/_sandbox</c> (codes sent, applications, reset, faults): callers on this machine
/// (loopback), or callers a host's <see cref="ISandboxControlAuthorizer"/> admits. Anyone else who reaches the host
/// gets 403: the codes it shows would complete someone's onboarding. A reverse proxy on the same machine makes every
/// caller loopback, so behind one the control endpoints need the proxy to keep them out.
/// </summary>
public static class ControlAccess
{
    public static bool IsAllowed(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsLoopback(context.Connection.RemoteIpAddress))
        {
            return true;
        }

        return context.RequestServices.GetService<ISandboxControlAuthorizer>()?.IsAuthorized(context) == true;
    }

    public static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    internal static RouteGroupBuilder RequireControlAccess(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) => IsAllowed(context.HttpContext)
            ? await next(context)
            : Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Forbidden",
                detail: "The sandbox's control endpoints answer only callers on this machine (loopback), or requests with the host's API key."));
        return group;
    }
}
