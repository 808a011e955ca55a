using Microsoft.Extensions.Options;
using WabaOrchestrator.Vonage.Configuration;

namespace WabaOrchestrator.Local;

/// <summary>
/// Where the Vonage client goes: real Vonage (<c>Vonage:BaseUrl</c>) or, with no credentials configured, the sandbox
/// embedded under <c>/sandbox</c> on this host's own address, which is only known after start.
/// </summary>
public sealed class VonageTarget(IOptions<VonageOptions> vonage, LocalAddress self, bool embeddedSandbox)
{
    public const string SandboxPrefix = "/sandbox";

    public bool EmbeddedSandbox { get; } = embeddedSandbox;

    /// <summary>The API root with a trailing slash.</summary>
    public Uri BaseUrl => EmbeddedSandbox
        ? new Uri(self.Required, SandboxPrefix.TrimStart('/') + "/")
        : new Uri(vonage.Value.BaseUrl.AbsoluteUri.TrimEnd('/') + "/");
}
