using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding.Callbacks;

namespace WabaOrchestrator.Onboarding.Activities;

/// <summary>
/// Posts a signed stage change to the caller's <c>callback_url</c>. Throws on a non-2xx answer (a 3xx included: redirects
/// are not followed) so the orchestrator's retry policy backs off and tries again; the orchestrator never lets a
/// callback fail the onboarding. A URL the callback rules refuse, or a host that resolves only to addresses callbacks
/// may not reach, throws <see cref="CallbackRefusedException"/> without a request being sent.
/// </summary>
public sealed class NotifyCallbackActivity(IHttpClientFactory httpClients, IOptions<OnboardingOptions> options, TimeProvider time)
    : Activity<NotifyCallbackInput, bool>
{
    public const string HttpClientName = "WabaOrchestrator.Callbacks";

    public override async Task<bool> RunAsync(ActivityContext context, NotifyCallbackInput input)
    {
        var secret = options.Value.Callbacks.SigningSecretBytes
            ?? throw new InvalidOperationException("Onboarding:Callbacks:SigningSecret is not set; status callbacks cannot be signed.");
        var uri = new Uri(input.CallbackUrl, UriKind.Absolute);
        // Again at delivery: the settings may have been tightened since this onboarding started.
        if (CallbackUrlRules.Refusal(uri, options.Value.Callbacks) is { } refusal)
        {
            throw new CallbackRefusedException($"The status callback to {uri.Host} was refused: {refusal}");
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(input.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Add(CallbackSignature.HeaderName, CallbackSignature.Create(secret, time.GetUtcNow(), body));

        using var response = await SendAsync(request, context.CancellationToken);
        if ((int)response.StatusCode is >= 300 and < 400)
        {
            throw new HttpRequestException($"The status callback to {uri.Host} answered {(int)response.StatusCode}; redirects are not followed.", null, response.StatusCode);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The status callback to {uri.Host} answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        return true;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is CallbackRefusedException refused)
        {
            // The refusal alone, unwrapped, so the workflow logs one clear reason (host and ranges, never the path or query).
            throw new CallbackRefusedException(refused.Message);
        }
    }
}
