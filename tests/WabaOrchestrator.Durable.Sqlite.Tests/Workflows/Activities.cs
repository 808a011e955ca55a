namespace WabaOrchestrator.Durable.Sqlite.Tests.Workflows;

public sealed record StepInput(string Key, int Value);

/// <summary>Returns its input plus one and counts its runs under the key.</summary>
public sealed class AddOne(RunCounter counter) : Activity<StepInput, int>
{
    public override Task<int> RunAsync(ActivityContext context, StepInput input)
    {
        counter.Increment(input.Key);
        return Task.FromResult(input.Value + 1);
    }
}

/// <summary>Fails the first <c>Value</c> runs for the key, then succeeds with the run number.</summary>
public sealed class FlakyStep(RunCounter counter) : Activity<StepInput, int>
{
    public override Task<int> RunAsync(ActivityContext context, StepInput input)
    {
        var run = counter.Increment(input.Key);
        return run <= input.Value
            ? throw new InvalidOperationException($"Run {run} of {input.Key} fails on purpose.")
            : Task.FromResult(run);
    }
}

/// <summary>Waits until the test opens the gate for its key (lets tests stop an engine while activities are pending).</summary>
public sealed class GatedStep(RunCounter counter, ActivityGate gate) : Activity<StepInput, int>
{
    public override async Task<int> RunAsync(ActivityContext context, StepInput input)
    {
        counter.Increment(input.Key);
        await gate.WaitAsync(context.CancellationToken);
        return input.Value * 10;
    }
}

/// <summary>A gate activities wait on; opened by tests.</summary>
public sealed class ActivityGate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => _open.TrySetResult();

    public Task WaitAsync(CancellationToken cancellationToken) => _open.Task.WaitAsync(cancellationToken);
}
