using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Api.Webhooks;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Onboarding.Activities;
using WabaOrchestrator.Onboarding.Secrets;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Profile;
using ActivityContext = WabaOrchestrator.Durable.ActivityContext;

namespace WabaOrchestrator.Bench;

/// <summary>
/// One onboarding as the bench saw it: whether it reached READY with its profile, when it was started and ended and, when
/// the bench typed the code, when it posted it (<see cref="Stopwatch.GetTimestamp"/> values, 0 when not applicable).
/// </summary>
internal sealed record OnboardingRun(string FullNumber, string? DeploymentId, long StartedAt, long EndedAt, bool Ok, long CodePostedAt = 0)
{
    public static OnboardingRun Failed(string fullNumber, long startedAt) => new(fullNumber, null, startedAt, Stopwatch.GetTimestamp(), false);

    public double Milliseconds => (EndedAt - StartedAt) * 1000.0 / Stopwatch.Frequency;
}

/// <summary>
/// The onboarding's happy path without durability: the very activity classes the workflow calls (resolved from the
/// host's DI in a scope per call, as the engine does), in the workflow's order and with its poll schedule, the code
/// received through the same signed inbound-SMS webhook and handed over in memory instead of as a durable event. No
/// history, no timers, no SQLite: what the engine's durability costs is the difference.
/// </summary>
internal sealed class PlainOnboardings(IServiceProvider services)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<OtpSubmitted>> _codes = new(StringComparer.Ordinal);
    private readonly ISecretProtector _secrets = services.GetRequiredService<ISecretProtector>();
    private readonly OnboardingStarter _starter = services.GetRequiredService<OnboardingStarter>();
    private readonly MessageIdDeduplicator _dedupe = services.GetRequiredService<MessageIdDeduplicator>();
    private readonly WebhookOptions _webhook = services.GetRequiredService<IOptions<WebhookOptions>>().Value;
    private readonly OtpSmsFilter _filter = services.GetRequiredService<OtpSmsFilter>();
    private readonly WorkflowSettings _settings = services.GetRequiredService<IOptions<OnboardingOptions>>().Value.Resolve(null);

    /// <summary>True while a plain onboarding of this number (country code and number) waits for its code.</summary>
    public bool Owns(string fullNumber) => _codes.ContainsKey(fullNumber);

    /// <summary>The webhook's work for a plain onboarding: signature, parameters, code, dedupe, encryption; no engine.</summary>
    public IResult Receive(HttpRequest request, byte[] body)
    {
        var error = SignedWebhook.Verify(request.Headers.Authorization.ToString(), body, _webhook.SignatureSecret!, DateTimeOffset.UtcNow, _webhook.MaxClockSkew);
        if (error is not null)
        {
            return Results.Unauthorized();
        }

        var (parameters, _) = InboundSmsParameters.Parse(request, body);
        if (parameters is null || _filter.Extract(parameters.GetValueOrDefault("msisdn"), parameters.GetValueOrDefault("text")).Code is not { } code || parameters.GetValueOrDefault("messageId") is not { } messageId)
        {
            return Results.BadRequest();
        }

        if (_dedupe.TryReserve(messageId) && _codes.TryGetValue(parameters["to"].TrimStart('+'), out var waiter))
        {
            waiter.TrySetResult(_starter.ProtectOtp(code, "sms:" + messageId));
        }

        return Results.NoContent();
    }

    public async Task<OnboardingRun> RunAsync(string countryCode, string number, CancellationToken cancellationToken)
    {
        var startedAt = Stopwatch.GetTimestamp();
        var fullNumber = countryCode + number;
        var instanceId = OnboardingEvents.InstanceIdFor(countryCode, number);
        var code = new TaskCompletionSource<OtpSubmitted>(TaskCreationOptions.RunContinuationsAsynchronously);

        // Registered before provisioning, as the durable event is buffered: a code can never arrive unclaimed.
        _codes[fullNumber] = code;
        try
        {
            var provision = await CallAsync<ProvisionDeploymentActivity, ProvisionDeploymentInput, ProvisionDeploymentResult>(
                instanceId,
                new ProvisionDeploymentInput(countryCode, number, OtpMethod.Sms, OnboardingBenchHost.WabaId, _secrets.Protect(OnboardingBenchHost.Certificate, SecretPurposes.VnameCertificate), null),
                cancellationToken);
            var deployment = provision.Deployment ?? throw new InvalidOperationException($"Provisioning refused: {provision.Detail}");
            deployment = await PollAsync(instanceId, deployment, s => s.AwaitsCode() || s.IsVerified(), _settings.ExpectedCodeSentAfter, cancellationToken);

            var submitted = await code.Task.WaitAsync(_settings.OtpWindow, cancellationToken);
            var verify = await CallAsync<VerifyOtpActivity, VerifyOtpInput, VerificationResult>(
                instanceId, new VerifyOtpInput(deployment.DeploymentId, submitted.ProtectedCode), cancellationToken);
            if (verify.Outcome != VerifyOutcome.Verified)
            {
                return OnboardingRun.Failed(fullNumber, startedAt);
            }

            deployment = await PollAsync(instanceId, deployment with { State = DeploymentState.CodeVerified }, s => s == DeploymentState.Ready, _settings.ExpectedReadyAfter, cancellationToken);
            var profile = await CallAsync<UpdateProfileActivity, UpdateProfileInput, StepOutcome>(
                instanceId, new UpdateProfileInput(deployment.DeploymentId, new BusinessProfile(About: OnboardingBenchHost.About)), cancellationToken);
            return new(fullNumber, deployment.DeploymentId, startedAt, Stopwatch.GetTimestamp(), profile.Applied);
        }
        finally
        {
            _codes.TryRemove(fullNumber, out _);
        }
    }

    /// <summary>The workflow's poll schedule: the first GET after the expected time or the poll interval, then capped doubling.</summary>
    private async Task<DeploymentSnapshot> PollAsync(
        string instanceId, DeploymentSnapshot deployment, Func<DeploymentState, bool> done, TimeSpan? expectedAfter, CancellationToken cancellationToken)
    {
        var delay = expectedAfter ?? _settings.PollInterval;
        var backoff = expectedAfter is null ? Min(_settings.PollInterval * 2, _settings.MaxPollInterval) : _settings.PollInterval;
        while (!done(deployment.State))
        {
            if (deployment.State == DeploymentState.Error || deployment.State.IsGone())
            {
                throw new InvalidOperationException($"Deployment {deployment.DeploymentId} is {deployment.State}: {deployment.Detail}");
            }

            await Task.Delay(delay, cancellationToken);
            deployment = await CallAsync<GetDeploymentActivity, string, DeploymentSnapshot?>(instanceId, deployment.DeploymentId, cancellationToken)
                ?? throw new InvalidOperationException($"Deployment {deployment.DeploymentId} no longer exists.");
            delay = backoff;
            backoff = Min(backoff * 2, _settings.MaxPollInterval);
        }

        return deployment;
    }

    private async Task<TOutput> CallAsync<TActivity, TInput, TOutput>(string instanceId, TInput input, CancellationToken cancellationToken)
        where TActivity : Activity<TInput, TOutput>
    {
        await using var scope = services.CreateAsyncScope();
        var activity = scope.ServiceProvider.GetRequiredService<TActivity>();
        return await activity.RunAsync(new ActivityContext(typeof(TActivity).Name, instanceId, cancellationToken), input);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
