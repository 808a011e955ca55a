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
        var go = await context.WaitForExternalEvent<int>(ChainScenario.GoEvent);
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
}
