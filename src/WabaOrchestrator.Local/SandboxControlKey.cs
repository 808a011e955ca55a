using WabaOrchestrator.Api.Auth;
using WabaOrchestrator.Sandbox.Control;

namespace WabaOrchestrator.Local;

/// <summary>The embedded sandbox's control endpoints answer callers off this machine only with this host's API key.</summary>
internal sealed class SandboxControlKey(ApiKeyVerifier keys) : ISandboxControlAuthorizer
{
    public bool IsAuthorized(HttpContext context) => keys.IsAuthorized(context.Request);
}
