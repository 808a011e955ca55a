using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding.Callbacks;

namespace WabaOrchestrator.Onboarding.Activities;

/// <summary>
/// Posts a signed stage change to the caller's <c>callback_url</c>. Throws on a non-2xx answer so the orchestrator's
/// retry policy backs off and tries again; the orchestrator never lets a callback fail the onboarding.
/// </summary>
public sealed class NotifyCallbackActivity(IHttpClientFactory httpClients, IOptions<OnboardingOptions> options, TimeProvider time)
    : Activity<NotifyCallbackInput, bool>
{
    public const string HttpClientName = "WabaOrchestrator.Callbacks";

    public override async Task<bool> RunAsync(ActivityContext context, NotifyCallbackInput input)
    {
        var secret = options.Value.Callbacks.SigningSecretBytes
            ?? throw new InvalidOperationException("Onboarding:Callbacks:SigningSecret is not set; status callbacks cannot be signed.");
        var body = JsonSerializer.SerializeToUtf8Bytes(input.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, input.CallbackUrl)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Add(CallbackSignature.HeaderName, CallbackSignature.Create(secret, time.GetUtcNow(), body));

        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, context.CancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The status callback to {request.RequestUri?.Host} answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        return true;
    }
}
