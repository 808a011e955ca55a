using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Api.Infrastructure;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding;

namespace WabaOrchestrator.Api.Webhooks;

/// <summary>
/// Vonage's inbound-SMS webhook: the SMS WhatsApp sends to a number being onboarded carries its code. Authentic
/// deliveries for a waiting onboarding raise its Otp event once; anything Vonage should stop re-sending (unknown
/// number, finished onboarding, duplicate, an SMS that is not WhatsApp's code message) is answered 204, since Vonage
/// retries everything else for 24 hours. Each signed token is good for one request only (<see cref="IWebhookTokenStore"/>).
/// </summary>
public static partial class InboundSmsHandler
{
    public const string Route = "/webhooks/vonage/inbound-sms";

    /// <summary>Inbound SMS bodies are small; anything larger is not Vonage.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static async Task<IResult> Handle(
        HttpRequest request,
        IOptions<WebhookOptions> options,
        MessageIdDeduplicator dedupe,
        IWebhookTokenStore tokens,
        OtpSmsFilter filter,
        IOrchestrationClient client,
        OnboardingStarter starter,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(InboundSmsHandler).FullName!);
        var settings = options.Value;
        var cancellationToken = request.HttpContext.RequestAborted;
        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "payload-too-large", "Payload too large.", $"An inbound-SMS webhook is at most {MaxBodyBytes} bytes.");
        }

        var now = time.GetUtcNow();
        var signatureError = string.IsNullOrEmpty(settings.SignatureSecret)
            ? "No signature secret is configured (Vonage:SignatureSecret), so no delivery can be verified."
            : SignedWebhook.Verify(request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null, body, settings.SignatureSecret, now, settings.MaxClockSkew);
        if (signatureError is not null)
        {
            LogRejected(logger, signatureError);
            return ApiProblems.Unauthorized(signatureError);
        }

        var (parameters, parseError) = InboundSmsParameters.Parse(request, body);
        if (parameters is null)
        {
            return ApiProblems.MalformedJson(null, parseError!);
        }

        // Checked after the body parses (a malformed delivery spends no token) and before anything is raised.
        if (!await tokens.TryUseAsync(WebhookToken.Hash(request.Headers.Authorization.ToString()), WebhookToken.Binding(request, body), now + 2 * settings.MaxClockSkew, cancellationToken))
        {
            const string reused = "This signed token was already used with another request.";
            LogRejected(logger, reused);
            return ApiProblems.Unauthorized(reused);
        }

        if (settings.SmsSignature.Secret is { Length: > 0 } smsSecret
            && SmsSignature.Verify(parameters, smsSecret, settings.SmsSignature.Method, now, settings.MaxClockSkew) is { } sigError)
        {
            LogRejected(logger, sigError);
            return ApiProblems.Unauthorized(sigError);
        }

        var missing = new[] { "messageId", "to" }.Where(name => string.IsNullOrWhiteSpace(parameters.GetValueOrDefault(name))).ToArray();
        if (missing.Length > 0)
        {
            return ApiProblems.Validation(missing.Select(name => new Vonage.Validation.ValidationProblem(name, "Required in an inbound SMS.")));
        }

        var messageId = parameters["messageId"];
        var sender = parameters.GetValueOrDefault("msisdn") ?? "";
        var to = parameters["to"].Trim().TrimStart('+');
        var (code, notAnOtp) = filter.Extract(sender, parameters.GetValueOrDefault("text"));
        if (code is null || !to.All(char.IsAsciiDigit))
        {
            LogIgnored(logger, messageId, sender, notAnOtp ?? "the recipient is not a phone number", filter.CountIgnored());
            return TypedResults.NoContent();
        }

        var instanceId = OnboardingEvents.InstanceIdFor("", to);
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (instance is not { IsRunning: true } || instance.Name != nameof(OnboardingOrchestrator))
        {
            LogIgnored(logger, messageId, sender, instance is null ? "no onboarding of this number" : "the onboarding has finished", filter.CountIgnored());
            return TypedResults.NoContent();
        }

        if (!dedupe.TryReserve(messageId))
        {
            LogIgnored(logger, messageId, sender, "already delivered", filter.CountIgnored());
            return TypedResults.NoContent();
        }

        try
        {
            await client.RaiseEventAsync(instanceId, OnboardingEvents.Otp, starter.ProtectOtp(code, OtpSources.Sms(messageId), ReceivedAt(parameters, now)), cancellationToken);
        }
        catch (Exception e) when (e is OrchestrationNotFoundException or OrchestrationNotRunningException)
        {
            LogIgnored(logger, messageId, sender, "the onboarding finished meanwhile", filter.CountIgnored());
            return TypedResults.NoContent();
        }
        catch
        {
            // Not raised: let Vonage's retry try again.
            dedupe.Release(messageId);
            throw;
        }

        LogRaised(logger, messageId, instanceId);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// When Vonage received the SMS (its <c>message-timestamp</c>, UTC "yyyy-MM-dd HH:mm:ss"), which stays right when it
    /// re-delivers hours later; now when absent or unreadable. Never later than now, so a skewed clock cannot make a
    /// code look newer than it is.
    /// </summary>
    internal static DateTimeOffset ReceivedAt(IReadOnlyDictionary<string, string> parameters, DateTimeOffset now) =>
        parameters.GetValueOrDefault("message-timestamp") is { Length: > 0 } raw
        && DateTimeOffset.TryParseExact(raw.Trim(), ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? (at < now ? at : now)
            : now;

    /// <summary>The raw body (the payload hash covers exact bytes), or null when it exceeds <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbound-SMS webhook refused: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    // The sender, never the text: a text may hold someone's code.
    [LoggerMessage(Level = LogLevel.Information, Message = "Inbound SMS {MessageId} from {Sender} ignored: {Reason} ({IgnoredCount} ignored since start)")]
    private static partial void LogIgnored(ILogger logger, string messageId, string sender, string reason, long ignoredCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbound SMS {MessageId} delivered its code to {InstanceId}")]
    private static partial void LogRaised(ILogger logger, string messageId, string instanceId);
}
