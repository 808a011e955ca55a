using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using WabaOrchestrator.Vonage.Configuration;
using WabaOrchestrator.Vonage.Errors;

namespace WabaOrchestrator.Vonage.Resilience;

/// <summary>
/// Total timeout → retry → per-attempt timeout, built once from <c>Vonage:Resilience:*</c>.
/// The retry decision depends on the request: Vonage's POSTs (provision, verify, resend-otp,
/// create template…) are not idempotent, so they are only repeated when the request provably was
/// not processed: a 429, or a connection that was never established. A 500 or a timeout after a
/// POST was sent may have provisioned a number or burnt an OTP attempt, so it surfaces instead.
/// </summary>
public sealed class VonageResiliencePipeline
{
    internal static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("Vonage.Request");

    public VonageResiliencePipeline(IOptions<VonageOptions> options, TimeProvider time, ILogger<VonageResiliencePipeline> logger)
    {
        var settings = options.Value.Resilience;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddTimeout(settings.TotalTimeout);
        if (settings.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = settings.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.BaseDelay,
                MaxDelay = settings.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, settings, time)),
                // Retry-After wins over the backoff (capped: a 503 asking for an hour is not waited out here).
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response && VonageProblemReader.RetryAfterOf(response, time) is { } wait
                        ? (TimeSpan?)(wait < settings.MaxRetryAfter ? wait : settings.MaxRetryAfter)
                        : null),
                OnRetry = args =>
                {
                    var request = args.Context.Properties.GetValue(RequestKey, null!);
                    logger.LogWarning(
                        "Vonage {Method} {Path} attempt {Attempt} failed ({Outcome}); retrying in {Delay}",
                        request?.Method, request?.RequestUri?.AbsolutePath, args.AttemptNumber + 1,
                        args.Outcome.Result is { } r ? ((int)r.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : args.Outcome.Exception?.GetType().Name,
                        args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        Pipeline = builder.AddTimeout(settings.AttemptTimeout).Build();
    }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, VonageResilienceOptions settings, TimeProvider time)
    {
        var request = context.Properties.GetValue(RequestKey, null!);
        if (request is null || (request.Options.TryGetValue(VonageRequestOptions.NoRetry, out var noRetry) && noRetry))
        {
            return false;
        }

        var idempotent = IsIdempotent(request.Method);
        if (outcome.Result is { } response)
        {
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                // A Retry-After beyond what we are willing to block for goes back to the caller.
                return VonageProblemReader.RetryAfterOf(response, time) is not { } wait || wait <= settings.MaxRetryAfter;
            }

            return idempotent && ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout);
        }

        return outcome.Exception switch
        {
            // The caller's own cancellation is never retried.
            OperationCanceledException when context.CancellationToken.IsCancellationRequested => false,
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => true,
            HttpRequestException => idempotent,
            TimeoutRejectedException => idempotent,
            _ => false,
        };
    }

    internal static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
        || method == HttpMethod.Put || method == HttpMethod.Delete;
}
