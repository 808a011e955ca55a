using Microsoft.Extensions.Logging;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding.Activities;
using WabaOrchestrator.Onboarding.Callbacks;
using WabaOrchestrator.Vonage.Deployments;

namespace WabaOrchestrator.Onboarding;

/// <summary>
/// The steps of one onboarding. Deterministic: time only from the context, I/O only through activities, and every
/// wait races the one pending Cancel event. Timers are cancelled with the synchronous Cancel(): the asynchronous
/// variant runs the callbacks on the thread pool, off the engine's single-threaded scheduler. Status callbacks run
/// beside the steps, never in their way (<see cref="DeliverAfterAsync"/>).
/// </summary>
internal sealed class OnboardingWorkflow
{
    private const int MaxThrottledResends = 10;

    /// <summary>
    /// Vonage stamps an inbound SMS in whole seconds, so its time may read up to a second early: a genuine code that
    /// arrived right after the status poll must not be taken for one from before the code was sent.
    /// </summary>
    private static readonly TimeSpan SmsTimestampCut = TimeSpan.FromSeconds(1);

    private readonly IOrchestrationContext _context;
    private readonly OnboardingInput _input;
    private readonly WorkflowSettings _settings;
    private readonly ILogger _logger;
    private readonly RetryPolicy _vonageRetry;
    private readonly RetryPolicy _callbackRetry;

    // Created once and raced at every wait. A wait that is never cancelled and re-created cannot lose an event.
    private readonly Task<CancelRequested> _cancel;

    private OnboardingStatus _status = new() { Stage = OnboardingStage.Provisioning };
    private OnboardingStage? _notifiedStage;
    private OnboardingTimestamps _timestamps;
    private DeploymentSnapshot? _deployment;
    private StepOutcome? _profile;
    private StepOutcome? _photo;
    private readonly List<string> _warnings = [];
    private readonly TimelineRecorder _timeline = new();
    private string? _reason;

    // Deliveries (sources naming one message, e.g. "sms:<messageId>") already taken: Vonage re-sends an inbound SMS for
    // 24 hours and the webhook's in-memory dedupe forgets on restart. Built from event payloads only, so replay-safe.
    private readonly HashSet<string> _deliveries = new(StringComparer.Ordinal);

    // The last time the workflow asked Vonage and still heard "no code sent yet" (when it scheduled that call, so the
    // code was sent later). A code received before then cannot be the one Vonage sent: the workflow notices CODE_SENT
    // only at its next poll, and a genuine SMS may arrive before that, so the moment it noticed is no boundary.
    private DateTime? _noCodeYetAt;

    // The status callbacks still to go, in stage order: each delivery waits for the one before it and nothing else
    // waits for them until the onboarding has ended (DrainCallbacksAsync).
    private Task _callbacks = Task.CompletedTask;

    public OnboardingWorkflow(IOrchestrationContext context, OnboardingInput input)
    {
        _context = context;
        _input = input;
        _settings = input.Settings;
        _logger = context.CreateReplaySafeLogger(nameof(OnboardingOrchestrator));
        _timestamps = new OnboardingTimestamps { Started = context.CurrentUtcDateTime };

        // Transient Vonage failures the client's own retries could not absorb get a few more, slower tries on
        // durable timers; the schedule scales with the poll interval so fast test settings retry fast too.
        _vonageRetry = new RetryPolicy(_settings.VonageAttempts, _settings.PollInterval, 2.0, _settings.MaxPollInterval);
        // A callback refused for where it points (a blocked address, a host not allowed) would be refused again: no retry.
        _callbackRetry = new RetryPolicy(4, _settings.PollInterval, 2.0, _settings.MaxPollInterval)
        {
            Handle = failure => !failure.IsCausedBy<CallbackRefusedException>(),
        };
        _cancel = context.WaitForExternalEvent<CancelRequested>(OnboardingEvents.Cancel);
    }

    private DateTime Now => _context.CurrentUtcDateTime;

    public async Task<OnboardingOutput> RunAsync()
    {
        try
        {
            await ProvisionAsync();
            await PollAsync(OnboardingStage.WaitingForCluster, state => state.AwaitsCode() || state.IsVerified(), "the OTP to be sent", _settings.ExpectedCodeSentAfter);
            if (_deployment!.State.AwaitsCode())
            {
                _timestamps = _timestamps with { CodeSent = Now };
                await OtpLoopAsync();
            }

            _timestamps = _timestamps with { Verified = _timestamps.Verified ?? Now };
            await PollAsync(OnboardingStage.Finalizing, state => state == DeploymentState.Ready, "the number to become READY", _settings.ExpectedReadyAfter);
            _timestamps = _timestamps with { Ready = Now };
            await ConfigureProfileAsync();

            var stage = _warnings.Count == 0 ? OnboardingStage.Completed : OnboardingStage.CompletedWithWarnings;
            _timestamps = _timestamps with { Completed = Now };
            await SetStageAsync(stage);
            await DrainCallbacksAsync();
            return Output(stage);
        }
        catch (CancelledByCaller)
        {
            _reason = (await _cancel).Reason;
            Record(new() { Kind = TimelineKind.CancelRequested, Detail = _reason });
            return await EndCancelledAsync();
        }
        catch (ActivityFailedException ex)
        {
            var reason = $"Vonage call {ex.ActivityName} failed: {ex.Failure.ErrorMessage}";
            await FailAsync(reason);
            throw new OnboardingFailedException(reason);
        }
        catch (OnboardingFailedException ex)
        {
            await FailAsync(ex.Message);
            throw;
        }
    }

    private async Task ProvisionAsync()
    {
        await SetStageAsync(OnboardingStage.Provisioning);
        var askedAt = Now;
        var result = await CallVonageAsync<ProvisionDeploymentResult>(
            nameof(ProvisionDeploymentActivity),
            new ProvisionDeploymentInput(_input.CountryCode, _input.Number, _input.Method, _input.WabaId, _input.ProtectedVnameCertificate, _input.ProtectedPin),
            r => Refused(r.Refusal) with
            {
                Outcome = r.Outcome.ToString(),
                VonageState = r.Deployment?.State.Value,
                Detail = r.Outcome == ProvisionOutcome.Created ? null : r.Detail,
            });
        if (result.Outcome == ProvisionOutcome.Rejected || result.Deployment is null)
        {
            throw new OnboardingFailedException($"Vonage refused the provisioning request: {result.Detail}");
        }

        _deployment = result.Deployment;
        NoteIfNoCodeYet(askedAt);
        if (result.Outcome == ProvisionOutcome.Adopted)
        {
            _logger.LogInformation("Onboarding {InstanceId} adopted active deployment {DeploymentId}", _context.InstanceId, _deployment.DeploymentId);
        }
    }

    /// <summary>
    /// Polls until <paramref name="done"/>, failing on ERROR or the phase deadline. The first poll comes after
    /// <paramref name="expectedAfter"/> when the phase's usual duration is known (one GET instead of a backoff series),
    /// then capped exponential backoff from the poll interval.
    /// </summary>
    private async Task PollAsync(OnboardingStage stage, Func<DeploymentState, bool> done, string waitingFor, TimeSpan? expectedAfter)
    {
        var deadline = Now + _settings.PhaseTimeout;
        var delay = expectedAfter ?? _settings.PollInterval;
        var backoff = expectedAfter is null ? Min(_settings.PollInterval * 2, _settings.MaxPollInterval) : _settings.PollInterval;
        await SetStageAsync(stage);
        while (true)
        {
            var state = _deployment!.State;
            if (done(state))
            {
                return;
            }

            ThrowIfDead();
            if (Now >= deadline)
            {
                throw new OnboardingFailedException($"Timed out after {_settings.PhaseTimeout} waiting for {waitingFor} (last state {state}).");
            }

            var next = Min(Now + delay, deadline);
            SetStatus(_status with { NextPollAt = next });
            await WaitUntilAsync(next);
            var askedAt = Now;
            await RefreshDeploymentAsync();
            NoteIfNoCodeYet(askedAt);
            delay = backoff;
            backoff = Min(backoff * 2, _settings.MaxPollInterval);
        }
    }

    /// <summary>Remembers <paramref name="askedAt"/> when the answer to the call made then says no code was sent yet.</summary>
    private void NoteIfNoCodeYet(DateTime askedAt)
    {
        var state = _deployment!.State;
        if (state == DeploymentState.Initializing || state == DeploymentState.CreatingCluster || state == DeploymentState.ClusterCreated)
        {
            _noCodeYetAt = askedAt;
        }
    }

    /// <summary>ERROR or a deployment deleted behind our back ends the onboarding: nothing can move it forward.</summary>
    private void ThrowIfDead()
    {
        var state = _deployment!.State;
        if (state == DeploymentState.Error)
        {
            throw new OnboardingFailedException(_deployment.Detail ?? "Vonage reported an error.");
        }

        if (state.IsGone())
        {
            throw new OnboardingFailedException($"The deployment was deleted outside this onboarding ({state}).");
        }
    }

    /// <summary>
    /// Waits for codes in windows of <see cref="WorkflowSettings.OtpWindow"/>, asking Vonage to resend when a window
    /// ends or an operator asks for one ("resend now"). One Otp and one Resend wait stay pending across windows
    /// (cancelling and re-creating a wait can swallow the next event in the isolated worker), each re-created only once
    /// it has delivered its event; each window gets a fresh timer, cancelled once it is no longer needed.
    /// Only an operator's wrong codes use up <see cref="WorkflowSettings.MaxAttempts"/>: anyone can text the number, so a
    /// wrong code from an SMS is recorded and the wait goes on (Vonage's own attempt limit still ends the window).
    /// Codes received before the current window's code was sent never reach Vonage.
    /// </summary>
    private async Task OtpLoopAsync()
    {
        var otp = _context.WaitForExternalEvent<OtpSubmitted>(OnboardingEvents.Otp);
        var resendNow = _context.WaitForExternalEvent<ResendRequested>(OnboardingEvents.Resend);
        var resends = 0;
        var attemptsLeft = _settings.MaxAttempts;
        var sentAt = Now;
        DateTime? resendAskedAt = null;
        DateTime windowEnds;
        while (true)
        {
            windowEnds = Now + _settings.OtpWindow;
            using var window = new CancellationTokenSource();
            var timer = _context.CreateTimer(windowEnds, window.Token);
            string? vonageWantsNewCode = null;
            try
            {
                await SetStageAsync(OnboardingStage.WaitingForOtp, OtpState());
                while (vonageWantsNewCode is null)
                {
                    var winner = await Task.WhenAny(otp, timer, _cancel, resendNow);
                    if (winner == _cancel)
                    {
                        throw new CancelledByCaller();
                    }

                    if (winner == resendNow)
                    {
                        var request = await resendNow;
                        resendNow = _context.WaitForExternalEvent<ResendRequested>(OnboardingEvents.Resend);
                        if (resends >= _settings.MaxResends)
                        {
                            // The API refuses this already; a request racing the last resend still lands here.
                            Record(new() { Kind = TimelineKind.ResendRequested, Source = request.By, Outcome = "Refused", Detail = $"No resends left ({resends} of {_settings.MaxResends} used)." });
                            continue;
                        }

                        Record(new() { Kind = TimelineKind.ResendRequested, Source = request.By, Outcome = "Accepted", Detail = "The OTP window ended early." });
                        break;
                    }

                    if (winner == timer)
                    {
                        Record(new() { Kind = TimelineKind.OtpWindowExpired, Detail = $"No valid code within {_settings.OtpWindow}." });
                        break;
                    }

                    var submission = await otp;
                    otp = _context.WaitForExternalEvent<OtpSubmitted>(OnboardingEvents.Otp);
                    if (submission.NamesDelivery && !_deliveries.Add(submission.Source))
                    {
                        _logger.LogInformation("Onboarding {InstanceId}: ignored a repeated delivery from {Source}", _context.InstanceId, submission.Source);
                        Record(Received(submission, OtpVerdicts.Repeated));
                        continue;
                    }

                    if (Untimely(submission, resendAskedAt) is { } untimely)
                    {
                        _logger.LogInformation("Onboarding {InstanceId}: ignored a code from {Source} received at {ReceivedAt:O} ({Verdict})", _context.InstanceId, submission.Source, submission.ReceivedAt, untimely);
                        Record(Received(submission, untimely));
                        continue;
                    }

                    await SetStageAsync(OnboardingStage.Verifying, OtpState());
                    var verify = await CallVonageAsync<VerificationResult>(
                        nameof(VerifyOtpActivity),
                        new VerifyOtpInput(_deployment!.DeploymentId, submission.ProtectedCode),
                        r => Refused(r.Refusal) with { Outcome = r.Outcome.ToString(), Detail = r.Outcome == VerifyOutcome.Verified ? null : r.Detail });
                    Record(Received(submission, verify.Outcome switch
                    {
                        VerifyOutcome.Verified => OtpVerdicts.Verified,
                        VerifyOutcome.WrongCode => OtpVerdicts.Wrong,
                        VerifyOutcome.TooManyAttempts => OtpVerdicts.Refused,
                        _ => OtpVerdicts.TooLate,
                    }));
                    if (verify.Outcome == VerifyOutcome.Verified)
                    {
                        _timestamps = _timestamps with { Verified = Now };
                        // 201 from verify means CODE_VERIFIED: no GET needed to know it.
                        _deployment = _deployment with { State = DeploymentState.CodeVerified, Detail = null };
                        return;
                    }

                    if (verify.Outcome == VerifyOutcome.NotAllowed)
                    {
                        if (await IsVerifiedNowAsync())
                        {
                            _timestamps = _timestamps with { Verified = Now };
                            return;
                        }

                        ThrowIfDead();
                    }
                    else if (verify.Outcome == VerifyOutcome.TooManyAttempts)
                    {
                        // Vonage refuses every code until a new one is sent: end this window early.
                        vonageWantsNewCode = verify.Detail ?? "too many attempts";
                        continue;
                    }
                    else if (submission.Source == OtpSources.Api && --attemptsLeft <= 0)
                    {
                        throw new OnboardingFailedException($"Verification failed: {_settings.MaxAttempts} wrong codes.");
                    }
                    else
                    {
                        // Vonage answers a wrong code by moving to WRONG_CODE: the status shows it without a GET.
                        _deployment = _deployment with { State = DeploymentState.WrongCode, Detail = verify.Detail };
                        _logger.LogInformation("Onboarding {InstanceId}: wrong code from {Source}, {AttemptsLeft} operator attempts left", _context.InstanceId, submission.Source, attemptsLeft);
                    }

                    await SetStageAsync(OnboardingStage.WaitingForOtp, OtpState());
                }
            }
            finally
            {
                // Synchronous Cancel(): its callbacks must run on the orchestrator's own thread.
                if (!timer.IsCompleted)
                {
                    window.Cancel();
                }
            }

            if (resends >= _settings.MaxResends)
            {
                throw new OnboardingFailedException(vonageWantsNewCode is null
                    ? $"No valid OTP was received within {_settings.OtpWindow} after {resends} resends."
                    : $"Vonage refused further codes after {resends} resends: {vonageWantsNewCode}");
            }

            if (await ResendAsync() is not { } askedAt)
            {
                return;
            }

            resends++;
            sentAt = Now;
            resendAskedAt = askedAt;
            Record(new() { Kind = TimelineKind.OtpResent, Detail = $"Resend {resends} of {_settings.MaxResends}." });
        }

        OtpStatus OtpState() => new()
        {
            Method = _input.Method.Value,
            SentAt = sentAt,
            WindowEndsAt = windowEnds,
            Resends = resends,
            AttemptsLeft = attemptsLeft,
            ResendsLeft = _settings.MaxResends - resends,
        };
    }

    /// <summary>
    /// Asks Vonage to send a new code: when the call that did it was made (codes received before then are from an
    /// earlier window), or null when the deployment already moved past the OTP stage.
    /// </summary>
    private async Task<DateTime?> ResendAsync()
    {
        for (var throttled = 0; ; throttled++)
        {
            var askedAt = Now;
            var resend = await CallVonageAsync<ResendResult>(
                nameof(ResendOtpActivity),
                new ResendOtpInput(_deployment!.DeploymentId, _input.Method),
                r => Refused(r.Refusal) with { Outcome = r.Outcome.ToString(), Detail = r.Outcome == ResendOutcome.Sent ? null : r.Detail });
            switch (resend.Outcome)
            {
                case ResendOutcome.Sent:
                    return askedAt;
                case ResendOutcome.Throttled when throttled < MaxThrottledResends:
                    await WaitUntilAsync(Now + (resend.RetryAfter ?? _settings.PollInterval));
                    continue;
                case ResendOutcome.Throttled:
                    throw new OnboardingFailedException($"Vonage kept throttling the OTP resend: {resend.Detail}");
                default:
                    if (await IsVerifiedNowAsync())
                    {
                        return null;
                    }

                    ThrowIfDead();
                    throw new OnboardingFailedException($"Vonage refused to resend the code: {resend.Detail}");
            }
        }
    }

    /// <summary>
    /// Why a code must not be sent to Vonage (<see cref="OtpVerdicts.BeforeCodeSent"/>, <see cref="OtpVerdicts.EarlierWindow"/>),
    /// or null to verify it. A code without a receipt time (raised by an older version) is trusted as before.
    /// </summary>
    private string? Untimely(OtpSubmitted submission, DateTime? resendAskedAt)
    {
        if (submission.ReceivedAt is not { } receivedAt)
        {
            return null;
        }

        receivedAt = receivedAt.Kind == DateTimeKind.Local ? receivedAt.ToUniversalTime() : receivedAt;
        var latest = submission.Source == OtpSources.Api ? receivedAt : receivedAt + SmsTimestampCut;
        if (_noCodeYetAt is { } noCodeYet && latest < noCodeYet)
        {
            return OtpVerdicts.BeforeCodeSent;
        }

        return resendAskedAt is { } resent && latest < resent ? OtpVerdicts.EarlierWindow : null;
    }

    private async Task<bool> IsVerifiedNowAsync()
    {
        await RefreshDeploymentAsync();
        return _deployment!.State.IsVerified();
    }

    private async Task ConfigureProfileAsync()
    {
        if (_input.Profile is null && _input.PhotoUrl is null)
        {
            return;
        }

        await SetStageAsync(OnboardingStage.ConfiguringProfile);
        var deploymentId = _deployment!.DeploymentId;
        if (_input.Profile is { } profile)
        {
            _profile = await CallVonageAsync<StepOutcome>(nameof(UpdateProfileActivity), new UpdateProfileInput(deploymentId, profile), Applied);
            if (!_profile.Applied)
            {
                Warn($"The business profile was rejected: {_profile.Detail}");
            }
        }

        if (_input.PhotoUrl is { } photoUrl)
        {
            _photo = await CallVonageAsync<StepOutcome>(nameof(UpdatePhotoActivity), new UpdatePhotoInput(deploymentId, photoUrl), Applied);
            if (!_photo.Applied)
            {
                Warn($"The profile photo was rejected: {_photo.Detail}");
            }
        }
    }

    private async Task<OnboardingOutput> EndCancelledAsync()
    {
        if (_deployment is { } deployment && deployment.State != DeploymentState.Ready && await TryDeleteDeploymentAsync(deployment.DeploymentId))
        {
            // The output says what became of the number. No GET after the DELETE (that would add a durable call to
            // in-flight instances): Vonage accepting it means the deployment is gone. A failure keeps the state that
            // failed it (e.g. ERROR) instead; its timeline shows the delete.
            _deployment = deployment with { State = DeploymentState.Deleted, Detail = null };
        }

        _timestamps = _timestamps with { Completed = Now };
        await SetStageAsync(OnboardingStage.Cancelled);
        await DrainCallbacksAsync();
        return Output(OnboardingStage.Cancelled);
    }

    private async Task FailAsync(string reason)
    {
        Record(new() { Kind = TimelineKind.Failed, Detail = reason });
        if (_settings.DeleteDeploymentOnFailure && _deployment is { } deployment && !deployment.State.IsGone())
        {
            await TryDeleteDeploymentAsync(deployment.DeploymentId);
        }

        _timestamps = _timestamps with { Completed = Now };
        await SetStageAsync(OnboardingStage.Failed, error: reason);
        await DrainCallbacksAsync();
    }

    /// <summary>Clean-up must never turn a clear outcome into a different failure. True when Vonage deleted it now.</summary>
    private async Task<bool> TryDeleteDeploymentAsync(string deploymentId)
    {
        try
        {
            return await CallVonageAsync<bool>(nameof(DeleteDeploymentActivity), deploymentId, d => new() { Outcome = d ? "Deleted" : "AlreadyGone" });
        }
        catch (ActivityFailedException ex)
        {
            _logger.LogWarning("Onboarding {InstanceId}: deleting deployment {DeploymentId} failed: {Error}", _context.InstanceId, deploymentId, ex.Failure.ErrorMessage);
            Warn($"The deployment {deploymentId} could not be deleted: {ex.Failure.ErrorMessage}");
            return false;
        }
    }

    private async Task RefreshDeploymentAsync()
    {
        var snapshot = await CallVonageAsync<DeploymentSnapshot?>(
            nameof(GetDeploymentActivity),
            _deployment!.DeploymentId,
            d => d is null ? new() { Outcome = "NotFound", HttpStatus = 404 } : new() { Outcome = d.State.Value, Detail = d.Detail });
        _deployment = snapshot ?? _deployment with { State = DeploymentState.Deleted, Detail = "The deployment no longer exists." };
        SetStatus(_status);
    }

    /// <summary>A durable timer raced against Cancel; the timer is cancelled when Cancel wins.</summary>
    private async Task WaitUntilAsync(DateTime fireAt)
    {
        using var cts = new CancellationTokenSource();
        var timer = _context.CreateTimer(fireAt, cts.Token);
        if (await Task.WhenAny(timer, _cancel) == _cancel)
        {
            cts.Cancel();
            throw new CancelledByCaller();
        }
    }

    /// <summary>
    /// Updates the custom status and, on a stage change, queues a callback to the caller's URL. Completes at once, but
    /// for an onboarding started by a version that awaited each callback before its next step: its history has the
    /// callbacks in that order, so it keeps awaiting them to replay.
    /// </summary>
    private Task SetStageAsync(OnboardingStage stage, OtpStatus? otp = null, string? error = null)
    {
        var changed = stage != _notifiedStage;
        _notifiedStage = stage;
        if (changed)
        {
            LogStage(stage, error ?? _reason);
            _timeline.Add(new() { At = Now, Kind = TimelineKind.Stage, Stage = stage, VonageState = _deployment?.State.Value, Detail = error });
        }

        SetStatus(_status with
        {
            Stage = stage,
            Otp = otp ?? (stage is OnboardingStage.WaitingForOtp or OnboardingStage.Verifying ? _status.Otp : null),
            NextPollAt = null,
            Error = error,
            Reason = _reason,
        });

        if (changed && _input.CallbackUrl is { } url)
        {
            var payload = new StatusCallback(_context.InstanceId, stage, _deployment?.State.Value, error ?? _deployment?.Detail, Now);
            _callbacks = DeliverAfterAsync(_callbacks, new NotifyCallbackInput(url, payload));
        }

        return _settings.CallbacksBesideSteps ? Task.CompletedTask : _callbacks;
    }

    /// <summary>
    /// Posts one callback once the one before it is done, with its retries on durable timers. A slow or dead endpoint
    /// thus delays only the callbacks behind it, never a step or the OTP window; the steps never await this. Never
    /// throws: a callback given up on is logged and recorded, and the next one goes out.
    /// </summary>
    private async Task DeliverAfterAsync(Task previous, NotifyCallbackInput callback)
    {
        await previous;
        try
        {
            await _context.CallActivityAsync<bool>(nameof(NotifyCallbackActivity), callback, _callbackRetry);
        }
        catch (ActivityFailedException ex)
        {
            _logger.LogWarning("Onboarding {InstanceId}: status callback for {Stage} failed: {Error}", _context.InstanceId, callback.Payload.Stage, ex.Failure.ErrorMessage);
            Record(new() { Kind = TimelineKind.CallbackFailed, Stage = callback.Payload.Stage, Detail = ex.Failure.ErrorMessage });
        }
    }

    /// <summary>
    /// Lets the callbacks still queued go out before the instance completes (its custom status already shows the final
    /// stage), but for at most <see cref="WorkflowSettings.FinalCallbackWait"/>: a dead endpoint must not keep the
    /// instance open for the whole retry schedule of every queued callback.
    /// </summary>
    private async Task DrainCallbacksAsync()
    {
        if (_callbacks.IsCompleted)
        {
            return;
        }

        using var cap = new CancellationTokenSource();
        var timer = _context.CreateTimer(Now + _settings.FinalCallbackWait, cap.Token);
        if (await Task.WhenAny(_callbacks, timer) == timer)
        {
            _logger.LogWarning("Onboarding {InstanceId}: status callbacks still undelivered after {Wait}; giving up on them", _context.InstanceId, _settings.FinalCallbackWait);
            Record(new() { Kind = TimelineKind.CallbackFailed, Stage = _notifiedStage, Detail = $"Callbacks still undelivered {_settings.FinalCallbackWait} after the onboarding ended were given up." });
            return;
        }

        // Synchronous Cancel(): its callbacks must run on the orchestrator's own thread.
        cap.Cancel();
    }

    private void SetStatus(OnboardingStatus status)
    {
        _status = status with
        {
            DeploymentId = _deployment?.DeploymentId,
            VonageState = _deployment?.State.Value,
            VonageDetail = _deployment?.Detail,
            Timeline = _timeline.Snapshot(),
        };
        _context.SetCustomStatus(_status);
    }

    /// <summary>One line per stage change, so a console shows progress; the replay-safe logger keeps it to one.</summary>
    private void LogStage(OnboardingStage stage, string? reason)
    {
        if (stage is OnboardingStage.Completed or OnboardingStage.CompletedWithWarnings or OnboardingStage.Failed or OnboardingStage.Cancelled)
        {
            _logger.LogInformation("Onboarding {InstanceId} finished as {Stage}{Reason}", _context.InstanceId, stage, reason is null ? "" : $": {reason}");
        }
        else
        {
            _logger.LogInformation("Onboarding {InstanceId} is now {Stage} (Vonage {VonageState})", _context.InstanceId, stage, _deployment?.State.Value ?? "-");
        }
    }

    /// <summary>
    /// Calls a Vonage activity and records the call and its outcome; a call that failed after its retries is recorded
    /// before the failure propagates.
    /// </summary>
    private async Task<T> CallVonageAsync<T>(string activity, object? input, Func<T, TimelineEntry> describe)
    {
        var call = activity.EndsWith("Activity", StringComparison.Ordinal) ? activity[..^"Activity".Length] : activity;
        T result;
        try
        {
            result = await _context.CallActivityAsync<T>(activity, input, _vonageRetry);
        }
        catch (ActivityFailedException ex)
        {
            Record(new() { Kind = TimelineKind.VonageCall, Call = call, Outcome = "Failed", Detail = ex.Failure.ErrorMessage });
            throw;
        }

        Record(describe(result) with { Kind = TimelineKind.VonageCall, Call = call });
        return result;
    }

    private static TimelineEntry Refused(VonageReply? refusal) => new() { HttpStatus = refusal?.HttpStatus, ErrorCode = refusal?.ErrorCode };

    private static TimelineEntry Applied(StepOutcome step) => new() { Outcome = step.Applied ? "Applied" : "Rejected", Detail = step.Detail };

    /// <summary>Where a code came from, never the code: "api" is an operator, "kind:id" names one delivery.</summary>
    private static TimelineEntry Received(OtpSubmitted submission, string verdict)
    {
        var colon = submission.Source.IndexOf(':', StringComparison.Ordinal);
        return new()
        {
            Kind = TimelineKind.OtpReceived,
            Source = submission.Source == OtpSources.Api ? "operator" : colon > 0 ? submission.Source[..colon] : submission.Source,
            DeliveryId = submission.NamesDelivery ? submission.Source[(colon + 1)..] : null,
            Verdict = verdict,
        };
    }

    private void Warn(string warning)
    {
        _warnings.Add(warning);
        Record(new() { Kind = TimelineKind.Warning, Detail = warning });
    }

    /// <summary>Stamped with the context's clock (replay-safe) and published with the custom status at once.</summary>
    private void Record(TimelineEntry entry)
    {
        _timeline.Add(entry with { At = Now });
        SetStatus(_status);
    }

    private OnboardingOutput Output(OnboardingStage stage) => new()
    {
        Stage = stage,
        DeploymentId = _deployment?.DeploymentId,
        WabaId = _input.WabaId,
        CountryCode = _input.CountryCode,
        Number = _input.Number,
        ApiKey = _deployment?.ApiKey,
        State = _deployment?.State.Value,
        Profile = _profile,
        Photo = _photo,
        Warnings = [.. _warnings],
        Timestamps = _timestamps with { Completed = _timestamps.Completed ?? Now },
        Reason = _reason,
        Timeline = _timeline.Snapshot(),
    };

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Unwinds the steps when the Cancel event wins a wait.</summary>
    private sealed class CancelledByCaller : Exception;
}
