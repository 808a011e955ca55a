using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Sandbox.Infrastructure;
using WabaOrchestrator.Sandbox.Infrastructure.Persistence;

namespace WabaOrchestrator.Sandbox.Deployments.Otp;

/// <summary>A code to deliver by SMS to <paramref name="To"/> (country_code+number).</summary>
internal sealed record InboundSmsMessage(string To, string Code);

/// <summary>
/// A code on its way to the webhook: its message id (the same on every attempt, so receivers can dedupe), when it was
/// sent, the absolute time of its next attempt and the time it is given up. Kept in the data directory until delivered.
/// </summary>
internal sealed record PendingSms(string MessageId, string To, string Code, DateTimeOffset SentAt, DateTimeOffset GiveUpAt, int Attempts, DateTimeOffset DueAt);

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
/// Delivers SMS codes to <c>Sandbox:InboundSms:WebhookUrl</c> in the background, so a slow or failing receiver never
/// delays an API response. Like Vonage, an unacknowledged delivery (non-2xx or transport error) is retried with
/// doubling back-off (capped at <c>MaxRetryDelay</c>), the same <c>messageId</c> and a fresh signature, for
/// <c>RetryFor</c> (24 hours by default). Attempts are scheduled by absolute due times from the sandbox's clock, so
/// none holds a worker while it waits, and with a data directory pending deliveries survive a restart of either
/// side. Bounded: past <see cref="Capacity"/> pending codes the oldest is dropped.
/// </summary>
internal sealed class InboundSmsDelivery(
    IHttpClientFactory clients,
    IOptionsMonitor<SandboxOptions> options,
    TimeProvider time,
    ISandboxState state,
    ILogger<InboundSmsDelivery> logger) : BackgroundService, IResettable
{
    public const string HttpClientName = "WabaOrchestrator.Sandbox.InboundSms";

    /// <summary>The alphanumeric sender id WhatsApp's verification SMS comes from (the orchestrator's default filter accepts it).</summary>
    public const string WhatsAppSender = "WhatsApp";

    public const int Capacity = 1024;

    private const int Workers = 4;

    private readonly Lock _gate = new();
    private readonly PriorityQueue<PendingSms, DateTimeOffset> _due = new();
    private readonly Dictionary<string, PendingSms> _pending = new(StringComparer.Ordinal);
    private readonly Queue<string> _arrivals = new();
    private readonly SemaphoreSlim _slots = new(Workers);
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _restored;

    /// <summary>
    /// The delivery of a new code, to be persisted with the change that sent it and then <see cref="Schedule"/>d; null
    /// when nothing is delivered (no webhook). With a data directory a delivery is kept even while the webhook URL is
    /// not known yet (an embedded host learns its own address only once it listens).
    /// </summary>
    public PendingSms? Prepare(InboundSmsMessage message)
    {
        var settings = options.CurrentValue.InboundSms;
        if (settings.WebhookUrl is null && !state.IsDurable)
        {
            return null;
        }

        var now = time.GetUtcNow();
        return new PendingSms(Convert.ToHexString(RandomNumberGenerator.GetBytes(8)), message.To, message.Code, now, now + settings.RetryFor, 0, now + settings.Delay);
    }

    public static StateWrite Persist(PendingSms sms) => StateWrite.Put(StateKinds.InboundSms, sms.MessageId, sms);

    public void Schedule(PendingSms sms)
    {
        StateWrite? dropped = null;
        lock (_gate)
        {
            if (_pending.TryAdd(sms.MessageId, sms))
            {
                _arrivals.Enqueue(sms.MessageId);
            }
            else
            {
                _pending[sms.MessageId] = sms;
            }

            _due.Enqueue(sms, sms.DueAt);
            while (_pending.Count > Capacity && _arrivals.TryDequeue(out var oldest))
            {
                if (_pending.Remove(oldest))
                {
                    dropped = StateWrite.Remove(StateKinds.InboundSms, oldest);
                    logger.LogWarning("Inbound-SMS queue full: dropped message {MessageId}", oldest);
                }
            }

            WakeDispatcher();
        }

        if (dropped is { } remove)
        {
            state.Write(remove);
        }
    }

    /// <summary>Deliveries not yet acknowledged, oldest first (no codes: they are read at <c>/_sandbox/deployments/{id}/otp</c>).</summary>
    public IReadOnlyList<PendingSms> Pending()
    {
        RestoreOnce();
        lock (_gate)
        {
            return [.. _pending.Values.OrderBy(p => p.SentAt)];
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RestoreOnce();
        try
        {
            await DispatchAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutting down: pending deliveries stay in the data directory (or, in memory, are lost with the
            // process); codes stay readable at /_sandbox/deployments/{id}/otp.
        }
    }

    private void RestoreOnce()
    {
        lock (_gate)
        {
            if (_restored)
            {
                return;
            }

            _restored = true;
        }

        foreach (var (_, sms) in state.Load<PendingSms>(StateKinds.InboundSms).OrderBy(p => p.Value.SentAt))
        {
            Schedule(sms);
        }
    }

    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            stoppingToken.ThrowIfCancellationRequested();
            PendingSms? next = null;
            var wait = Timeout.InfiniteTimeSpan;
            Task wake;
            lock (_gate)
            {
                wake = _wake.Task;
                var now = time.GetUtcNow();
                while (_due.TryPeek(out var sms, out var due))
                {
                    // Entries are superseded by a later schedule of the same message, or removed once delivered or dropped.
                    if (!_pending.TryGetValue(sms.MessageId, out var current) || !ReferenceEquals(current, sms))
                    {
                        _due.Dequeue();
                        continue;
                    }

                    if (due <= now)
                    {
                        next = _due.Dequeue();
                    }
                    else
                    {
                        // Capped so that a due time far ahead (a clock set back) can never exceed what a timer takes.
                        wait = due - now < TimeSpan.FromDays(1) ? due - now : TimeSpan.FromDays(1);
                    }

                    break;
                }
            }

            if (next is not null)
            {
                await _slots.WaitAsync(stoppingToken);
                _ = Task.Run(() => AttemptAsync(next, stoppingToken), CancellationToken.None);
                continue;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var timer = Task.Delay(wait, time, stop.Token);
            await Task.WhenAny(timer, wake);
            await stop.CancelAsync();
        }
    }

    private async Task AttemptAsync(PendingSms sms, CancellationToken stoppingToken)
    {
        try
        {
            var settings = options.CurrentValue.InboundSms;
            if (settings.WebhookUrl is not { } url)
            {
                // Not known yet (an embedded host still starting) or not configured: wait without spending an attempt.
                Reschedule(sms, sms.Attempts, settings);
                return;
            }

            var attempt = sms.Attempts + 1;
            var body = JsonSerializer.SerializeToUtf8Bytes(new InboundSmsPayload(
                Msisdn: WhatsAppSender,
                To: sms.To,
                MessageId: sms.MessageId,
                Text: CodeMessage(sms.Code),
                Type: "text",
                Keyword: "YOUR",
                ApiKey: settings.ApiKey,
                MessageTimestamp: sms.SentAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)));
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Authorization = new("Bearer", WebhookSignature.Sign(body, settings.SignatureSecret ?? "", settings.ApiKey, time.GetUtcNow()));
            try
            {
                using var response = await clients.CreateClient(HttpClientName).SendAsync(request, stoppingToken);
                if (response.IsSuccessStatusCode)
                {
                    Forget(sms);
                    return;
                }

                logger.LogWarning("Inbound-SMS webhook answered {Status} (attempt {Attempt})", (int)response.StatusCode, attempt);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !stoppingToken.IsCancellationRequested))
            {
                logger.LogWarning("Inbound-SMS webhook failed: {Error} (attempt {Attempt})", e.Message, attempt);
            }

            if (settings.MaxAttempts is { } max && attempt >= max)
            {
                GiveUp(sms, attempt);
                return;
            }

            Reschedule(sms, attempt, settings);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down mid-attempt: the delivery stays pending as it was.
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>WhatsApp's English registration SMS, as it sends it.</summary>
    public static string CodeMessage(string code) =>
        $"Your WhatsApp code: {code[..3]}-{code[3..]}\nDon't share this code with others";

    private void Reschedule(PendingSms sms, int attempts, InboundSmsOptions settings)
    {
        var now = time.GetUtcNow();
        if (now >= sms.GiveUpAt)
        {
            GiveUp(sms, attempts);
            return;
        }

        var backoff = attempts == 0 ? settings.RetryDelay : settings.RetryDelay * Math.Pow(2, Math.Min(attempts - 1, 30));
        var due = now + (backoff < settings.MaxRetryDelay ? backoff : settings.MaxRetryDelay);
        var next = sms with { Attempts = attempts, DueAt = due < sms.GiveUpAt ? due : sms.GiveUpAt };
        lock (_gate)
        {
            // Dropped (queue full) or reset meanwhile: do not bring it back.
            if (!_pending.ContainsKey(sms.MessageId))
            {
                return;
            }

            state.Write(Persist(next));
        }

        Schedule(next);
    }

    private void GiveUp(PendingSms sms, int attempts)
    {
        logger.LogError("Inbound-SMS webhook gave up on message {MessageId} to {To} after {Attempts} attempts", sms.MessageId, sms.To, attempts);
        Forget(sms);
    }

    private void Forget(PendingSms sms)
    {
        lock (_gate)
        {
            _pending.Remove(sms.MessageId);
            state.Write(StateWrite.Remove(StateKinds.InboundSms, sms.MessageId));
        }
    }

    // Caller holds _gate.
    private void WakeDispatcher()
    {
        var previous = _wake;
        _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }

    public void Reset()
    {
        lock (_gate)
        {
            _pending.Clear();
            _arrivals.Clear();
            state.Clear(StateKinds.InboundSms);
        }
    }
}
