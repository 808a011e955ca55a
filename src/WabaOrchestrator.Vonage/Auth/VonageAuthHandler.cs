using System.Net.Http.Headers;

namespace WabaOrchestrator.Vonage.Auth;

/// <summary>Adds <c>Authorization: Bearer &lt;JWT&gt;</c>; sits inside the retry handler so every attempt carries a current token.</summary>
public sealed class VonageAuthHandler(IVonageTokenProvider tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
