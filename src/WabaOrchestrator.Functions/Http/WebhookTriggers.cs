using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Api.Webhooks;

namespace WabaOrchestrator.Functions.Http;

/// <summary>
/// Vonage's inbound-SMS webhook. Anonymous because Vonage holds no function key: the handler verifies the signed-webhook
/// JWT instead, exactly as on the local host.
/// </summary>
public sealed class WebhookTriggers(
    DurableApi durable,
    IOptions<WebhookOptions> options,
    MessageIdDeduplicator dedupe,
    IWebhookTokenStore tokens,
    OtpSmsFilter filter,
    TimeProvider time,
    ILoggerFactory loggers)
{
    // The route without the leading slash: Functions adds its "api" prefix.
    public const string InboundSmsRoute = "webhooks/vonage/inbound-sms";

    [Function("InboundSms")]
    public Task<IResult> InboundSms(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", "get", Route = InboundSmsRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        var orchestrations = durable.Client(client);
        return ApiCall.RunAsync(request, () => InboundSmsHandler.Handle(request, options, dedupe, tokens, filter, orchestrations, durable.Starter(orchestrations), time, loggers));
    }
}
