namespace WabaOrchestrator.Durable.Sqlite.TestHost.Chain;

public sealed class ChainOrchestrator : Orchestrator<int, ChainOutput>
{
    public override async Task<ChainOutput> RunAsync(IOrchestrationContext context, int input)
    {
        long value = input;
        for (var step = 0; step < ChainScenario.StepsBeforeEvent; step++)
        {
            value = await context.CallActivityAsync<long>(nameof(StepActivity), new StepInput(step, value));
        }

        await context.CreateTimer(ChainScenario.TimerDelay, CancellationToken.None);
        context.SetCustomStatus(ChainScenario.WaitingForGo);
        var go = await WaitForGoAsync(context);
        context.SetCustomStatus("running");

        value = ChainScenario.AfterGo(value, go);
        for (var step = ChainScenario.StepsBeforeEvent; step < ChainScenario.Steps; step++)
        {
            value = step == ChainScenario.FlakyStep
                ? await context.CallActivityAsync<long>(nameof(FlakyStepActivity), new StepInput(step, value), ChainScenario.FlakyRetry)
                : await context.CallActivityAsync<long>(nameof(StepActivity), new StepInput(step, value));
        }

        return new ChainOutput(value, go);
    }

    /// <summary>
    /// The onboarding's OTP pattern: the event races a timeout timer, which is cancelled once the event wins, so a
    /// cancelled timer has to be cleaned up across kills too.
    /// </summary>
    private static async Task<int> WaitForGoAsync(IOrchestrationContext context)
    {
        using var cancelTimeout = new CancellationTokenSource();
        var go = context.WaitForExternalEvent<int>(ChainScenario.GoEvent);
        var timeout = context.CreateTimer(ChainScenario.GoTimeout, cancelTimeout.Token);
        if (await Task.WhenAny(go, timeout) != go)
        {
            throw new TimeoutException($"No {ChainScenario.GoEvent} event within {ChainScenario.GoTimeout}.");
        }

        // Cancel, not CancelAsync: orchestrator code must stay on the episode's thread; CancelAsync runs the
        // callbacks on the thread pool, and an await of it resumes after the episode has ended, so the instance hangs.
        cancelTimeout.Cancel();
        return await go;
    }
}
