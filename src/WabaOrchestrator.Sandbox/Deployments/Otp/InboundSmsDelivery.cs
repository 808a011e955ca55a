using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace WabaOrchestrator.Sandbox.Deployments.Otp;

/// <summary>A code to deliver by SMS to <paramref name="To"/> (country_code+number).</summary>
internal sealed record InboundSmsMessage(string To, string Code);

/// <summary>Vonage's inbound-SMS webhook body (JSON variant).</summary>
internal sealed record InboundSmsPayload(
    [property: JsonPropertyName("msisdn")] string Msisdn,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("messageId")] string MessageId,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("keyword")] string Keyword,
    [property: JsonPropertyName("api-key")] string ApiKey,
    [property: JsonPropertyName("message-timestamp")] string MessageTimestamp);

/// <summary>
/// Delivers SMS codes to <c>Sandbox:InboundSms:WebhookUrl</c> in the background, so a slow or failing
/// receiver never delays an API response. Like Vonage, a non-2xx answer is retried (with doubling
/// back-off, the same <c>messageId</c>, a fresh signature); the queue is bounded and drops the oldest.
/// </summary>
internal sealed class InboundSmsDelivery(
    IHttpClientFactory clients,
    IOptionsMonitor<SandboxOptions> options,
    TimeProvider time,
    ILogger<InboundSmsDelivery> logger) : BackgroundService
{
    public const string HttpClientName = "WabaOrchestrator.Sandbox.InboundSms";

    /// <summary>The sender WhatsApp's verification SMS appears to come from.</summary>
    public const string WhatsAppSender = "14155550100";

    private const int Workers = 4;

    private readonly Channel<InboundSmsMessage> _queue = Channel.CreateBounded<InboundSmsMessage>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });

    public void Enqueue(InboundSmsMessage message)
    {
        if (options.CurrentValue.InboundSms.WebhookUrl is not null)
        {
            _queue.Writer.TryWrite(message);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await DeliverAsync(message, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutting down: undelivered codes stay readable at /_sandbox/deployments/{id}/otp.
        }
    }

    private async Task DeliverAsync(InboundSmsMessage message, CancellationToken stoppingToken)
    {
        var settings = options.CurrentValue.InboundSms;
        if (settings.WebhookUrl is not { } url)
        {
            return;
        }

        var now = time.GetUtcNow();
        var payload = new InboundSmsPayload(
            Msisdn: WhatsAppSender,
            To: message.To,
            MessageId: Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
            Text: $"Your WhatsApp code is {message.Code[..3]}-{message.Code[3..]}",
            Type: "text",
            Keyword: "YOUR",
            ApiKey: settings.ApiKey,
            MessageTimestamp: now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        var body = JsonSerializer.SerializeToUtf8Bytes(payload);
        var client = clients.CreateClient(HttpClientName);

        for (var attempt = 1; attempt <= settings.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(settings.RetryDelay * Math.Pow(2, attempt - 2), time, stoppingToken);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Authorization = new("Bearer", WebhookSignature.Sign(body, settings.SignatureSecret ?? "", settings.ApiKey, time.GetUtcNow()));
            try
            {
                using var response = await client.SendAsync(request, stoppingToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                logger.LogWarning("Inbound-SMS webhook answered {Status} (attempt {Attempt} of {Max})", (int)response.StatusCode, attempt, settings.MaxAttempts);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !stoppingToken.IsCancellationRequested))
            {
                logger.LogWarning("Inbound-SMS webhook failed: {Error} (attempt {Attempt} of {Max})", e.Message, attempt, settings.MaxAttempts);
            }
        }

        logger.LogError("Inbound-SMS webhook gave up on message {MessageId} to {To}", payload.MessageId, payload.To);
    }
}
