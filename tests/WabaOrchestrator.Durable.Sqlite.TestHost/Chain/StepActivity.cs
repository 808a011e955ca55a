namespace WabaOrchestrator.Durable.Sqlite.TestHost.Chain;

/// <summary>
/// Records its execution, takes a little time (so kills land mid-activity) or, with an effect URL, performs its side
/// effect there (a POST the test's endpoint may hold open), and computes the next value.
/// </summary>
public sealed class StepActivity(AuditLog audit, HostArguments arguments, HttpClient http) : Activity<StepInput, long>
{
    public override async Task<long> RunAsync(ActivityContext context, StepInput input)
    {
        audit.Append(context.InstanceId, input.Step);
        if (arguments.EffectUrl is { } effect)
        {
            using var content = new StringContent($"{context.InstanceId} {input.Step}");
            using var response = await http.PostAsync(effect, content, context.CancellationToken);
            response.EnsureSuccessStatusCode();
        }
        else
        {
            await Task.Delay(arguments.ActivityDelay, context.CancellationToken);
        }

        return ChainScenario.Next(input.Step, input.Value);
    }
}

/// <summary>Fails the first time it ever runs for an instance (per the audit), so every instance goes through a retry.</summary>
public sealed class FlakyStepActivity(AuditLog audit, HostArguments arguments) : Activity<StepInput, long>
{
    public override async Task<long> RunAsync(ActivityContext context, StepInput input)
    {
        audit.Append(context.InstanceId, input.Step);
        if (audit.Count(context.InstanceId, input.Step) == 1)
        {
            throw new InvalidOperationException($"First attempt of step {input.Step} fails by design.");
        }

        await Task.Delay(arguments.ActivityDelay, context.CancellationToken);
        return ChainScenario.Next(input.Step, input.Value);
    }
}
