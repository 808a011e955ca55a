namespace WabaOrchestrator.Durable.Sqlite.Tests.Workflows;

/// <summary>Calls AddOne <c>Value</c> times in a chain, starting from 0.</summary>
public sealed class Chain : Orchestrator<StepInput, int>
{
    public override async Task<int> RunAsync(IOrchestrationContext context, StepInput input)
    {
        var total = 0;
        for (var i = 0; i < input.Value; i++)
        {
            total = await context.CallActivityAsync<int>(nameof(AddOne), new StepInput(input.Key, total));
            context.SetCustomStatus(new { step = i + 1 });
        }

        return total;
    }
}

/// <summary>AddOne, then waits for "Go", then AddOne again: replays the first step when rebuilt.</summary>
public sealed class StepWaitStep : Orchestrator<string, string>
{
    public override async Task<string> RunAsync(IOrchestrationContext context, string key)
    {
        var first = await context.CallActivityAsync<int>(nameof(AddOne), new StepInput(key + ":first", 0));
        var go = await context.WaitForExternalEvent<string>("Go");
        var second = await context.CallActivityAsync<int>(nameof(AddOne), new StepInput(key + ":second", first));
        return $"{go}:{second}";
    }
}

/// <summary>Collects <c>Value</c> "Item" events in the order received.</summary>
public sealed class CollectEvents : Orchestrator<int, List<string>>
{
    public override async Task<List<string>> RunAsync(IOrchestrationContext context, int count)
    {
        var items = new List<string>();
        for (var i = 0; i < count; i++)
        {
            items.Add(await context.WaitForExternalEvent<string>("Item"));
            context.SetCustomStatus(new { received = items.Count });
        }

        return items;
    }
}

/// <summary>Waits one hour on a durable timer, recording the time before and after.</summary>
public sealed class Sleeper : Orchestrator<int, string>
{
    public override async Task<string> RunAsync(IOrchestrationContext context, int minutes)
    {
        var before = context.CurrentUtcDateTime;
        context.SetCustomStatus("sleeping");
        await context.CreateTimer(TimeSpan.FromMinutes(minutes), CancellationToken.None);
        return $"{before:O}|{context.CurrentUtcDateTime:O}";
    }
}

/// <summary>Races an "Approve" event against a timer, the way the onboarding OTP window does.</summary>
public sealed class ApprovalRace : Orchestrator<int, string>
{
    public override async Task<string> RunAsync(IOrchestrationContext context, int timeoutMinutes)
    {
        using var cts = new CancellationTokenSource();
        var approval = context.WaitForExternalEvent<string>("Approve", cts.Token);
        var timeout = context.CreateTimer(TimeSpan.FromMinutes(timeoutMinutes), cts.Token);
        context.SetCustomStatus("waiting");
        var winner = await Task.WhenAny(approval, timeout);
        cts.Cancel(); // Not CancelAsync: its callbacks run on the thread pool, outside the episode.
        return winner == approval ? $"approved:{await approval}" : "timed-out";
    }
}

/// <summary>
/// Waits for "Code" with a 10-minute window that is cancelled; then waits for "Code" again with no timeout: a
/// cancelled wait must not consume the event.
/// </summary>
public sealed class CancelledWait : Orchestrator<string?, string>
{
    public override async Task<string> RunAsync(IOrchestrationContext context, string? unused)
    {
        using var cts = new CancellationTokenSource();
        var first = context.WaitForExternalEvent<string>("Code", cts.Token);
        cts.Cancel(); // Not CancelAsync: its callbacks run on the thread pool, outside the episode.
        string outcome;
        try
        {
            await first;
            outcome = "not-cancelled";
        }
        catch (TaskCanceledException)
        {
            outcome = "cancelled";
        }

        context.SetCustomStatus(outcome);
        var code = await context.WaitForExternalEvent<string>("Code");
        return $"{outcome}:{code}";
    }
}

/// <summary>Calls FlakyStep (which fails <c>Value</c> times) with a retry policy of <c>Attempts</c> attempts.</summary>
public sealed class RetryingCall : Orchestrator<RetryInput, string>
{
    public override async Task<string> RunAsync(IOrchestrationContext context, RetryInput input)
    {
        var policy = new RetryPolicy(input.Attempts, TimeSpan.FromMinutes(1), backoffCoefficient: 2);
        try
        {
            var run = await context.CallActivityAsync<int>(nameof(FlakyStep), new StepInput(input.Key, input.Failures), policy);
            return $"ok:{run}";
        }
        catch (ActivityFailedException ex)
        {
            return $"failed:{ex.ActivityName}:{ex.Failure.ErrorType}:{ex.Failure.ErrorMessage}";
        }
    }
}

public sealed record RetryInput(string Key, int Failures, int Attempts);

/// <summary>Calls an activity by a name that was never registered.</summary>
public sealed class CallsUnknownActivity : Orchestrator<string?, string>
{
    public override async Task<string> RunAsync(IOrchestrationContext context, string? input)
    {
        try
        {
            await context.CallActivityAsync<int>("NoSuchActivity", input);
            return "unexpected";
        }
        catch (ActivityFailedException ex)
        {
            return ex.Failure.ErrorType;
        }
    }
}

/// <summary>Throws after one step; the instance must fail and others go on.</summary>
public sealed class Throws : Orchestrator<string, int>
{
    public override async Task<int> RunAsync(IOrchestrationContext context, string key)
    {
        await context.CallActivityAsync<int>(nameof(AddOne), new StepInput(key, 0));
        throw new InvalidOperationException($"Orchestrator {key} gave up.");
    }
}

/// <summary>Lets an activity failure escape: the instance fails with it.</summary>
public sealed class FailsOnActivity : Orchestrator<string, int>
{
    public override Task<int> RunAsync(IOrchestrationContext context, string key) =>
        context.CallActivityAsync<int>(nameof(FlakyStep), new StepInput(key, 100));
}

/// <summary>Sets a custom status of <c>size</c> characters.</summary>
public sealed class BigStatus : Orchestrator<int, string>
{
    public override Task<string> RunAsync(IOrchestrationContext context, int size)
    {
        context.SetCustomStatus(new string('x', size));
        return Task.FromResult("set");
    }
}

/// <summary>Waits for "Stop" forever (for terminate, purge, query and restart tests).</summary>
public sealed class WaitForStop : Orchestrator<string?, string>
{
    public override async Task<string> RunAsync(IOrchestrationContext context, string? input)
    {
        context.SetCustomStatus(new { input });
        return await context.WaitForExternalEvent<string>("Stop");
    }
}

/// <summary>
/// Version 1 of a workflow: AddOne then waits for "Go". Version 2 (below) was "edited" to start with a timer, so
/// replaying a version-1 history with it must be detected.
/// </summary>
public sealed class EditedWorkflow : Orchestrator<string, string>
{
    public override async Task<string> RunAsync(IOrchestrationContext context, string key)
    {
        await context.CallActivityAsync<int>(nameof(AddOne), new StepInput(key, 0));
        return await context.WaitForExternalEvent<string>("Go");
    }
}

/// <summary>Long-running instance for the resume test: activity, timer, two events, gated activity.</summary>
public sealed class ResumeEverything : Orchestrator<string, string>
{
    public override async Task<string> RunAsync(IOrchestrationContext context, string key)
    {
        var a = await context.CallActivityAsync<int>(nameof(AddOne), new StepInput(key + ":a", 0));
        await context.CreateTimer(TimeSpan.FromMinutes(30), CancellationToken.None);
        var first = await context.WaitForExternalEvent<string>("E");
        var second = await context.WaitForExternalEvent<string>("E");
        var gated = await context.CallActivityAsync<int>(nameof(GatedStep), new StepInput(key + ":gated", a));
        return $"{a}|{first}|{second}|{gated}";
    }
}

/// <summary>One GatedStep call: stays pending until the test opens the gate.</summary>
public sealed class Gated : Orchestrator<string, int>
{
    public override Task<int> RunAsync(IOrchestrationContext context, string key) =>
        context.CallActivityAsync<int>(nameof(GatedStep), new StepInput(key, 7));
}

/// <summary><see cref="ApprovalRace"/> written with <c>await CancelAsync()</c>, whose callbacks run on the thread pool.</summary>
public sealed class ApprovalRaceCancelAsync : Orchestrator<int, string>
{
    public override async Task<string> RunAsync(IOrchestrationContext context, int timeoutMinutes)
    {
        using var cts = new CancellationTokenSource();
        var approval = context.WaitForExternalEvent<string>("Approve", cts.Token);
        var timeout = context.CreateTimer(TimeSpan.FromMinutes(timeoutMinutes), cts.Token);
        context.SetCustomStatus("waiting");
        var winner = await Task.WhenAny(approval, timeout);
        await cts.CancelAsync();
        var outcome = winner == approval ? $"approved:{await approval}" : "timed-out";
        return $"{outcome}|then:{await context.CallActivityAsync<int>(nameof(AddOne), new StepInput(context.InstanceId, 0))}";
    }
}
