namespace WabaOrchestrator.Durable.Sqlite.Tests.Properties;

/// <summary>Two absolute due times, so the result cannot depend on when the first episode happened to run.</summary>
public sealed record AbcInput(DateTime FirstTimerUtc, DateTime SecondTimerUtc);

/// <summary>
/// Order-independent by design: both timers exist from the start and A, B, C are awaited one after the other, so
/// buffering makes the arrival order irrelevant. The custom status names what it waits for next.
/// </summary>
public sealed class AbcTimersOrchestrator : Orchestrator<AbcInput, string>
{
    public const string Timers = "timers";

    public override async Task<string> RunAsync(IOrchestrationContext context, AbcInput input)
    {
        var first = context.CreateTimer(input.FirstTimerUtc, CancellationToken.None);
        var second = context.CreateTimer(input.SecondTimerUtc, CancellationToken.None);
        var received = new List<int>();
        foreach (var name in new[] { "A", "B", "C" })
        {
            context.SetCustomStatus(name);
            received.Add(await context.WaitForExternalEvent<int>(name));
        }

        context.SetCustomStatus(Timers);
        await first;
        await second;
        return string.Join(",", received);
    }
}

/// <summary>Order-dependent: waits for <c>input</c> events all named Item and returns their payloads as received.</summary>
public sealed class ItemsOrchestrator : Orchestrator<int, int[]>
{
    public const string Item = "Item";

    public override async Task<int[]> RunAsync(IOrchestrationContext context, int input)
    {
        var items = new int[input];
        for (var i = 0; i < input; i++)
        {
            context.SetCustomStatus(i);
            items[i] = await context.WaitForExternalEvent<int>(Item);
        }

        return items;
    }
}

/// <summary>
/// Waits for pokes forever. With a cache of one instance, poking it after each arrival pushes the instance under test
/// out of memory, so its next step is rebuilt by replaying its history.
/// </summary>
public sealed class BallastOrchestrator : Orchestrator<int, int>
{
    public const string Poke = "Poke";

    public override async Task<int> RunAsync(IOrchestrationContext context, int input)
    {
        while (true)
        {
            await context.WaitForExternalEvent<int>(Poke);
        }
    }
}
