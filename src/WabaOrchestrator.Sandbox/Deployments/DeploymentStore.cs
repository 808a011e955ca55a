using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Sandbox.Deployments.Otp;
using WabaOrchestrator.Sandbox.Infrastructure;
using WabaOrchestrator.Sandbox.Infrastructure.Persistence;

namespace WabaOrchestrator.Sandbox.Deployments;

/// <summary>
/// The deployments and their state machine. A deployment moves one step per
/// <see cref="SandboxOptions.StepDelay"/> on its own timer; client calls move it at the OTP stage and on delete.
/// Thread-safe: one lock per deployment, and number ownership claimed atomically so that of concurrent
/// provisions of one number exactly one wins. With a data directory every change is written through (under the
/// deployment's lock, before the caller answers) and everything is loaded back at start, step clocks included.
/// </summary>
internal sealed class DeploymentStore : IResettable, IDisposable
{
    private readonly IOptionsMonitor<SandboxOptions> _options;
    private readonly TimeProvider _time;
    private readonly InboundSmsDelivery _sms;
    private readonly ISandboxState _state;

    /// <summary>Wrong codes accepted before every verify fails until a resend.</summary>
    public const int MaxWrongAttempts = 5;

    private readonly ConcurrentDictionary<string, Deployment> _deployments = new(StringComparer.Ordinal);

    // country_code+number → the deployment holding it (any state but DELETED and ERROR).
    private readonly ConcurrentDictionary<string, Deployment> _numbers = new(StringComparer.Ordinal);
    private readonly Lock _evictionGate = new();
    private long _sequence;

    public DeploymentStore(IOptionsMonitor<SandboxOptions> options, TimeProvider time, InboundSmsDelivery sms, ISandboxState state)
    {
        _options = options;
        _time = time;
        _sms = sms;
        _state = state;
        foreach (var (_, record) in _state.Load<DeploymentRecord>(StateKinds.Deployment).OrderBy(r => r.Value.Sequence))
        {
            var deployment = record.ToDeployment();
            _deployments[deployment.Id] = deployment;
            if (!deployment.State.ReleasesNumber())
            {
                _numbers[deployment.Request.FullNumber] = deployment;
            }

            _sequence = Math.Max(_sequence, deployment.Sequence);
        }

        var now = _time.GetUtcNow();
        foreach (var deployment in _deployments.Values)
        {
            lock (deployment.Gate)
            {
                if (deployment.State.AutomaticSuccessor() is not null)
                {
                    // Overdue steps (due while the sandbox was down) happen right away.
                    var due = deployment.NextStepAt ?? now;
                    ScheduleStep(deployment, due > now ? due - now : TimeSpan.Zero);
                }
            }
        }
    }

    public int Count => _deployments.Count;

    public bool TryGet(string id, out Deployment deployment) => _deployments.TryGetValue(id, out deployment!);

    /// <summary>Starts a deployment, or returns the id of the live deployment already holding the number.</summary>
    public (Deployment? Created, string? ExistingId) Create(DeploymentRequest request)
    {
        var deployment = new Deployment(Guid.NewGuid().ToString(), Interlocked.Increment(ref _sequence), request, _options.CurrentValue.InboundSms.ApiKey);
        while (!_numbers.TryAdd(request.FullNumber, deployment))
        {
            if (_numbers.TryGetValue(request.FullNumber, out var holder))
            {
                return (null, holder.Id);
            }
        }

        MakeRoom();
        lock (deployment.Gate)
        {
            _deployments[deployment.Id] = deployment;
            ScheduleNextStep(deployment);
            Save(deployment);
        }

        return (deployment, null);
    }

    public VonageProblemResult? Verify(Deployment deployment, string code)
    {
        lock (deployment.Gate)
        {
            if (!deployment.State.AwaitsCode())
            {
                return VonageProblems.ConflictState(
                    $"Deployment {deployment.Id} is {deployment.State.Title()}; codes are verified only in CODE_SENT or WRONG_CODE.");
            }

            if (deployment.WrongAttempts >= MaxWrongAttempts)
            {
                return VonageProblems.VerificationFailed(
                    $"Too many wrong codes ({MaxWrongAttempts}); call resend-otp for a new code.", "Too many attempts.");
            }

            if (!string.Equals(deployment.Otp?.Code, code, StringComparison.Ordinal))
            {
                deployment.WrongAttempts++;
                MoveTo(deployment, DeploymentState.WrongCode);
                Save(deployment);
                return VonageProblems.VerificationFailed("The code provided is incorrect.", "Invalid code provided.");
            }

            MoveTo(deployment, DeploymentState.CodeVerified);
            ScheduleNextStep(deployment);
            Save(deployment);
            return null;
        }
    }

    /// <summary>Sends a new code (invalidating the old one); <paramref name="method"/> null keeps the current method.</summary>
    public (VonageProblemResult? Problem, string Method) Resend(Deployment deployment, string? method)
    {
        lock (deployment.Gate)
        {
            if (deployment.State.BeforeCode())
            {
                return (VonageProblems.ConflictState(
                    $"Deployment {deployment.Id} is {deployment.State.Title()}; no code has been sent yet."), deployment.Method);
            }

            if (!deployment.State.AwaitsCode())
            {
                return (VonageProblems.ConflictResendOtp(
                    $"Deployment {deployment.Id} is {deployment.State.Title()}; codes are resent only in CODE_SENT or WRONG_CODE."), deployment.Method);
            }

            var wait = deployment.Otp!.SentAt + _options.CurrentValue.ResendCooldown - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                return (VonageProblems.Throttled(VonageApi.WhatsAppManager, wait), deployment.Method);
            }

            deployment.Method = method ?? deployment.Method;
            Save(deployment, IssueCode(deployment));
            return (null, deployment.Method);
        }
    }

    /// <summary>Starts deletion; deleting a DELETED deployment is a no-op, as DELETE is idempotent.</summary>
    public VonageProblemResult? Delete(Deployment deployment)
    {
        lock (deployment.Gate)
        {
            switch (deployment.State)
            {
                case DeploymentState.Deleting:
                    return VonageProblems.ConflictState($"Deployment {deployment.Id} is already DELETING.");
                case DeploymentState.Deleted:
                    return null;
                default:
                    MoveTo(deployment, DeploymentState.Deleting);
                    ScheduleNextStep(deployment);
                    Save(deployment);
                    return null;
            }
        }
    }

    public void Reset()
    {
        foreach (var deployment in _deployments.Values)
        {
            Forget(deployment);
        }

        _state.Clear(StateKinds.Deployment);
    }

    /// <summary>
    /// Writes the deployment through to the data directory (a no-op in memory), with the delivery of a code it has just
    /// sent in the same transaction, then hands that delivery over. Caller holds the deployment's lock.
    /// </summary>
    public void Save(Deployment deployment, PendingSms? code = null)
    {
        if (_state.IsDurable && !deployment.Removed)
        {
            var record = StateWrite.Put(StateKinds.Deployment, deployment.Id, DeploymentRecord.Of(deployment));
            if (code is not null)
            {
                _state.Write(record, InboundSmsDelivery.Persist(code));
            }
            else
            {
                _state.Write(record);
            }
        }

        if (code is not null)
        {
            _sms.Schedule(code);
        }
    }

    /// <summary>Stops every step timer, so none fires into a stopped host (or a closed data directory).</summary>
    public void Dispose()
    {
        foreach (var deployment in _deployments.Values)
        {
            lock (deployment.Gate)
            {
                deployment.Removed = true;
                deployment.StepTimer?.Dispose();
                deployment.StepTimer = null;
            }
        }
    }

    /// <summary>Every deployment, oldest first, as <c>GET /_sandbox/deployments</c> lists them.</summary>
    public IReadOnlyList<Deployment> All() => [.. _deployments.Values.OrderBy(d => d.Sequence)];

    private void Step(object? state)
    {
        var deployment = (Deployment)state!;
        lock (deployment.Gate)
        {
            if (deployment.Removed || deployment.State.AutomaticSuccessor() is not { } next)
            {
                return;
            }

            PendingSms? code = null;
            if (next == DeploymentState.CodeSent && Scenarios.HasInvalidCertificate(deployment.Request))
            {
                MoveTo(deployment, DeploymentState.Error, Scenarios.InvalidCertificateDetail);
            }
            else if (next == DeploymentState.CodeSent)
            {
                code = IssueCode(deployment);
            }
            else
            {
                MoveTo(deployment, next);
            }

            ScheduleNextStep(deployment);
            Save(deployment, code);
        }
    }

    /// <summary>Sends a new code; returns its SMS delivery, for the caller to save with the deployment.</summary>
    private PendingSms? IssueCode(Deployment deployment)
    {
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        deployment.Otp = new OtpCode(code, deployment.Method, _time.GetUtcNow());
        deployment.CodesSent++;
        deployment.WrongAttempts = 0;
        MoveTo(deployment, DeploymentState.CodeSent, $"Verification code sent by {deployment.Method}");
        return deployment.Method == DeploymentRequests.Sms && Scenarios.DeliversCode(deployment.Request, deployment.CodesSent)
            ? _sms.Prepare(new InboundSmsMessage(deployment.Request.FullNumber, code))
            : null;
    }

    private void MoveTo(Deployment deployment, DeploymentState state, string? detail = null)
    {
        deployment.State = state;
        deployment.Detail = detail ?? state.DefaultDetail();
        if (state.ReleasesNumber())
        {
            _numbers.TryRemove(KeyValuePair.Create(deployment.Request.FullNumber, deployment));
        }
    }

    // Caller holds the deployment's lock.
    private void ScheduleNextStep(Deployment deployment)
    {
        if (deployment.State.AutomaticSuccessor() is null)
        {
            deployment.StepTimer?.Dispose();
            deployment.StepTimer = null;
            deployment.NextStepAt = null;
            return;
        }

        ScheduleStep(deployment, _options.CurrentValue.StepDelay);
    }

    // Caller holds the deployment's lock.
    private void ScheduleStep(Deployment deployment, TimeSpan delay)
    {
        deployment.NextStepAt = _time.GetUtcNow() + delay;
        if (deployment.StepTimer is null)
        {
            deployment.StepTimer = _time.CreateTimer(Step, deployment, delay, Timeout.InfiniteTimeSpan);
        }
        else
        {
            deployment.StepTimer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void MakeRoom()
    {
        var max = _options.CurrentValue.MaxDeployments;
        if (_deployments.Count < max)
        {
            return;
        }

        lock (_evictionGate)
        {
            var excess = _deployments.Count - max + 1;
            if (excess <= 0)
            {
                return;
            }

            // Forget a tenth at once so a full store does not sort on every provision.
            var victims = _deployments.Values
                .OrderBy(d => d.State.ReleasesNumber() ? 0 : 1)
                .ThenBy(d => d.Sequence)
                .Take(excess + (max / 10))
                .ToList();
            foreach (var victim in victims)
            {
                Forget(victim);
            }
        }
    }

    private void Forget(Deployment deployment)
    {
        lock (deployment.Gate)
        {
            deployment.Removed = true;
            deployment.StepTimer?.Dispose();
            deployment.StepTimer = null;
            _numbers.TryRemove(KeyValuePair.Create(deployment.Request.FullNumber, deployment));
            _deployments.TryRemove(KeyValuePair.Create(deployment.Id, deployment));
            if (_state.IsDurable)
            {
                _state.Write(StateWrite.Remove(StateKinds.Deployment, deployment.Id));
            }
        }
    }
}
