using WabaOrchestrator.Durable.Sqlite.TestHost.Chain;
using WabaOrchestrator.Durable.Sqlite.TestHost.Events;

namespace WabaOrchestrator.Durable.Sqlite.TestHost.Driver;

/// <summary>
/// Everything the child does through its own client (the test cannot open the database while the child owns it):
/// starts the scenario's instances unless they exist, raises their events, and reports when all are finished.
/// Every step is idempotent, because the child may be killed anywhere and started again.
/// </summary>
public sealed class ScenarioDriver(HostArguments arguments, IOrchestrationClient client, TextWriter output)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);

    private readonly HashSet<string> _raisedGo = [];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        switch (arguments.Mode)
        {
            case HostMode.Chaos:
                await EnsureStartedAsync(nameof(ChainOrchestrator), ChainScenario.InstanceId, cancellationToken);
                break;
            case HostMode.Events:
                await EnsureStartedAsync(nameof(TwoEventsOrchestrator), EventsScenario.InstanceId, cancellationToken);
                if (arguments.EventName is { } name)
                {
                    await RaiseToAllAsync(name, cancellationToken);
                }

                break;
            case HostMode.Raise:
                await RaiseToAllAsync(arguments.EventName ?? throw new ArgumentException("raise needs --event NAME.", nameof(arguments)), cancellationToken);
                await output.WriteLineAsync("raised");
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return 0;
        }

        await output.WriteLineAsync("ready");
        using var timer = new PeriodicTimer(Tick);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            if (arguments.Mode == HostMode.Chaos)
            {
                await RaiseGoToWaitingAsync(cancellationToken);
            }

            if (arguments.ResultsPath is { } resultsPath && await AllFinishedAsync(cancellationToken))
            {
                await WriteResultsAsync(resultsPath, cancellationToken);
                await output.WriteLineAsync("done");
                return 0;
            }
        }

        return 0;
    }

    private string Prefix => arguments.Mode == HostMode.Chaos ? ChainScenario.InstancePrefix : EventsScenario.InstancePrefix;

    private IEnumerable<string> InstanceIds() =>
        Enumerable.Range(0, arguments.Instances).Select(i => arguments.Mode == HostMode.Chaos ? ChainScenario.InstanceId(i) : EventsScenario.InstanceId(i));

    private async Task EnsureStartedAsync(string orchestrator, Func<int, string> instanceId, CancellationToken cancellationToken)
    {
        for (var i = 0; i < arguments.Instances; i++)
        {
            var id = instanceId(i);
            if (await client.GetInstanceAsync(id, cancellationToken: cancellationToken) is not null)
            {
                continue;
            }

            await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, id, i, cancellationToken);
            if (arguments.Mode == HostMode.Chaos && i % 2 == 0)
            {
                // Half the instances get Go before they wait for it: it must stay buffered, across kills too.
                await RaiseAsync(id, ChainScenario.GoEvent, ChainScenario.GoValue(id), cancellationToken);
                _raisedGo.Add(id);
            }
        }
    }

    private async Task RaiseToAllAsync(string eventName, CancellationToken cancellationToken)
    {
        foreach (var id in InstanceIds())
        {
            await RaiseAsync(id, eventName, EventsScenario.Payload(eventName, id), cancellationToken);
        }
    }

    private async Task RaiseGoToWaitingAsync(CancellationToken cancellationToken)
    {
        foreach (var instance in await QueryAsync([OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending], cancellationToken))
        {
            if (instance.SerializedCustomStatus?.Contains(ChainScenario.WaitingForGo, StringComparison.Ordinal) == true && _raisedGo.Add(instance.InstanceId))
            {
                await RaiseAsync(instance.InstanceId, ChainScenario.GoEvent, ChainScenario.GoValue(instance.InstanceId), cancellationToken);
            }
        }
    }

    private async Task RaiseAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken)
    {
        try
        {
            await client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);
        }
        catch (OrchestrationNotRunningException)
        {
            // Finished in an earlier life of this process: a late duplicate is refused, which is fine.
        }
    }

    private async Task<bool> AllFinishedAsync(CancellationToken cancellationToken)
    {
        var all = await QueryAsync(null, cancellationToken);
        return all.Count == arguments.Instances && all.All(i => i.IsCompleted);
    }

    private async Task WriteResultsAsync(string path, CancellationToken cancellationToken)
    {
        var results = new List<InstanceResult>();
        foreach (var id in InstanceIds())
        {
            var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken)
                ?? throw new InvalidOperationException($"Instance {id} vanished.");
            results.Add(new InstanceResult(id, instance.RuntimeStatus, instance.SerializedOutput, instance.FailureDetails));
        }

        await InstanceResult.WriteAsync(path, results, cancellationToken);
    }

    private async Task<List<OrchestrationMetadata>> QueryAsync(IReadOnlyCollection<OrchestrationRuntimeStatus>? statuses, CancellationToken cancellationToken)
    {
        var instances = new List<OrchestrationMetadata>();
        string? token = null;
        do
        {
            var page = await client.QueryInstancesAsync(
                new OrchestrationQuery { InstanceIdPrefix = Prefix, Statuses = statuses, PageSize = 1_000, ContinuationToken = token },
                cancellationToken);
            instances.AddRange(page.Instances);
            token = page.ContinuationToken;
        }
        while (token is not null);

        return instances;
    }
}
