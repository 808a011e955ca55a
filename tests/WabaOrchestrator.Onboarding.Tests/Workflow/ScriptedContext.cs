using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using WabaOrchestrator.Durable;

namespace WabaOrchestrator.Onboarding.Tests.Workflow;

/// <summary>
/// A Moq'd <see cref="IOrchestrationContext"/> driven step by step: activities answer from scripted handlers, timers
/// and event waits are promises the test fires. Continuations run inline, so after each Fire/Raise the orchestrator
/// has already advanced to its next wait. A handler may answer with a <see cref="Task{TResult}"/> of object to keep
/// the activity outstanding (a hanging endpoint) until the test completes it.
/// </summary>
internal sealed class ScriptedContext
{
    private readonly Dictionary<string, Func<object?, object?>> _activities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<object?>> _buffered = new(StringComparer.OrdinalIgnoreCase);

    public ScriptedContext(DateTime? start = null)
    {
        Now = start ?? new DateTime(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc);
        Mock.SetupGet(c => c.InstanceId).Returns("waba-447700900001");
        Mock.SetupGet(c => c.CurrentUtcDateTime).Returns(() => Now);
        Mock.Setup(c => c.CreateReplaySafeLogger(It.IsAny<string>())).Returns(NullLogger.Instance);
        Mock.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback<object?>(s => Statuses.Add((OnboardingStatus)s!));
        Mock.Setup(c => c.CallActivityAsync<It.IsAnyType>(It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<RetryPolicy?>()))
            .Returns(new InvocationFunc(invocation => CallActivity(invocation)));
        Mock.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns<DateTime, CancellationToken>(CreateTimer);
        Mock.Setup(c => c.WaitForExternalEvent<It.IsAnyType>(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns(new InvocationFunc(invocation => WaitForEvent(invocation)));
    }

    public Mock<IOrchestrationContext> Mock { get; } = new(MockBehavior.Strict);

    public DateTime Now { get; private set; }

    public List<(string Name, object? Input, RetryPolicy? Retry)> ActivityCalls { get; } = [];

    public List<ScriptedTimer> Timers { get; } = [];

    public List<(string Name, TaskCompletionSource<object?> Promise)> EventWaits { get; } = [];

    public List<OnboardingStatus> Statuses { get; } = [];

    public OnboardingStatus Status => Statuses[^1];

    /// <summary>Answers every call of <paramref name="name"/>; the handler sees the activity input.</summary>
    public ScriptedContext On(string name, Func<object?, object?> handler)
    {
        _activities[name] = handler;
        return this;
    }

    public ScriptedContext On<TInput>(string name, Func<TInput, object?> handler) => On(name, input => handler((TInput)input!));

    /// <summary>Answers successive calls of <paramref name="name"/> with these results, repeating the last.</summary>
    public ScriptedContext OnSequence(string name, params object?[] results)
    {
        var calls = 0;
        return On(name, _ => results[Math.Min(calls++, results.Length - 1)]);
    }

    public IEnumerable<(string Name, object? Input, RetryPolicy? Retry)> CallsTo(string name) => ActivityCalls.Where(c => c.Name == name);

    public ScriptedTimer PendingTimer => Timers.Single(t => !t.Promise.Task.IsCompleted);

    /// <summary>Moves time to the pending timer's due time and fires it.</summary>
    public void FireTimer()
    {
        var timer = PendingTimer;
        Now = timer.FireAt;
        Inline(() => timer.Promise.TrySetResult());
    }

    /// <summary>Fires pending timers until <paramref name="until"/> holds (bounded, so a bug cannot loop forever).</summary>
    public void FireTimersUntil(Func<bool> until, int max = 200)
    {
        for (var i = 0; i < max && !until(); i++)
        {
            FireTimer();
        }

        Assert.True(until(), "The condition did not hold after firing timers.");
    }

    /// <summary>Delivers an event to the oldest pending wait of that name, or buffers it as both engines do.</summary>
    public void Raise(string name, object? payload)
    {
        var wait = EventWaits.FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase) && !w.Promise.Task.IsCompleted);
        if (wait.Promise is null)
        {
            Buffer(name).Enqueue(payload);
            return;
        }

        Inline(() => wait.Promise.TrySetResult(payload));
    }

    public int PendingWaits(string name) => EventWaits.Count(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase) && !w.Promise.Task.IsCompleted);

    /// <summary>Starts the orchestrator off any synchronization context so continuations run inline.</summary>
    public Task<OnboardingOutput> Run(OnboardingInput input)
    {
        Task<OnboardingOutput>? run = null;
        Inline(() => run = new OnboardingOrchestrator().RunAsync(Mock.Object, input));
        return run!;
    }

    /// <summary>
    /// Runs <paramref name="action"/> with no synchronization context, so the orchestrator code it resumes keeps
    /// running inline (as on the engine's single-threaded scheduler) instead of being posted to xunit's context.
    /// </summary>
    private static void Inline(Action action)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            action();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private Queue<object?> Buffer(string name) => _buffered.TryGetValue(name, out var queue) ? queue : _buffered[name] = new Queue<object?>();

    private Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        var timer = new ScriptedTimer(fireAt, new TaskCompletionSource());
        cancellationToken.Register(() => timer.Promise.TrySetCanceled(cancellationToken));
        Timers.Add(timer);
        return timer.Promise.Task;
    }

    private object CallActivity(IInvocation invocation)
    {
        var name = (string)invocation.Arguments[0]!;
        var input = invocation.Arguments[1];
        ActivityCalls.Add((name, input, (RetryPolicy?)invocation.Arguments[2]));
        var resultType = invocation.Method.GetGenericArguments()[0];
        if (!_activities.TryGetValue(name, out var handler))
        {
            throw new InvalidOperationException($"The test did not script activity {name}.");
        }

        object? result;
        try
        {
            result = handler(input);
        }
        catch (ActivityFailedException ex)
        {
            return Faulted(resultType, ex);
        }

        return result is Task<object?> outstanding ? Cast(resultType, outstanding) : Completed(resultType, result);
    }

    /// <summary>Completes an activity answer the test kept outstanding; the orchestrator runs on inline.</summary>
    public static void Complete(TaskCompletionSource<object?> outstanding, object? result) => Inline(() => outstanding.TrySetResult(result));

    /// <summary>Fails an activity answer the test kept outstanding, as the engine does once its retries are spent.</summary>
    public static void Fail(TaskCompletionSource<object?> outstanding, ActivityFailedException failure) => Inline(() => outstanding.TrySetException(failure));

    private object WaitForEvent(IInvocation invocation)
    {
        var name = (string)invocation.Arguments[0]!;
        var resultType = invocation.Method.GetGenericArguments()[0];
        var promise = new TaskCompletionSource<object?>();
        EventWaits.Add((name, promise));
        if (Buffer(name).TryDequeue(out var buffered))
        {
            promise.TrySetResult(buffered);
        }

        return Cast(resultType, promise.Task);
    }

    private static object Completed(Type type, object? value) => Generic(nameof(CompletedOf), type).Invoke(null, [value])!;

    private static object Faulted(Type type, Exception exception) => Generic(nameof(FaultedOf), type).Invoke(null, [exception])!;

    private static object Cast(Type type, Task<object?> task) => Generic(nameof(CastOf), type).Invoke(null, [task])!;

    private static MethodInfo Generic(string name, Type type) =>
        typeof(ScriptedContext).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);

    private static Task<T> CompletedOf<T>(object? value) => Task.FromResult((T)value!);

    private static Task<T> FaultedOf<T>(Exception exception) => Task.FromException<T>(exception);

    private static async Task<T> CastOf<T>(Task<object?> task) => (T)(await task)!;
}

internal sealed record ScriptedTimer(DateTime FireAt, TaskCompletionSource Promise);
