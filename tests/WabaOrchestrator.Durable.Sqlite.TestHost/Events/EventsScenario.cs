namespace WabaOrchestrator.Durable.Sqlite.TestHost.Events;

/// <summary>Instances that wait for First and then Second; Second is raised while no host runs, so it sits buffered.</summary>
public static class EventsScenario
{
    public const string InstancePrefix = "events-";
    public const string First = "First";
    public const string Second = "Second";

    public static string InstanceId(int index) => $"{InstancePrefix}{index:D3}";

    public static string Payload(string eventName, string instanceId) => $"{eventName.ToLowerInvariant()}:{instanceId}";

    public static string Expected(int index) =>
        $"{Payload(First, InstanceId(index))}|{Payload(Second, InstanceId(index))}";
}

public sealed class TwoEventsOrchestrator : Orchestrator<int, string>
{
    public override async Task<string> RunAsync(IOrchestrationContext context, int input)
    {
        var first = await context.WaitForExternalEvent<string>(EventsScenario.First);
        var second = await context.WaitForExternalEvent<string>(EventsScenario.Second);
        return $"{first}|{second}";
    }
}
