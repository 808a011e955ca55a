namespace WabaOrchestrator.Durable.Sqlite.Tests.Workflows.V2;

/// <summary>The same orchestrator name with its code changed: it now starts with a timer instead of AddOne.</summary>
public sealed class EditedWorkflow : Orchestrator<string, string>
{
    public override async Task<string> RunAsync(IOrchestrationContext context, string key)
    {
        await context.CreateTimer(TimeSpan.FromMinutes(1), CancellationToken.None);
        await context.CallActivityAsync<int>(nameof(AddOne), new StepInput(key, 0));
        return await context.WaitForExternalEvent<string>("Go");
    }
}
