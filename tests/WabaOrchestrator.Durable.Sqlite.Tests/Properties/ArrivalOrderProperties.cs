using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;

namespace WabaOrchestrator.Durable.Sqlite.Tests.Properties;

/// <summary>
/// Event and timer arrivals in generated orders (clock driven by a <see cref="ManualTimeProvider"/>, events by
/// RaiseEventAsync), against what Durable Functions promises: buffering makes arrival order irrelevant to an
/// orchestrator that waits for each thing in turn, and same-name events are delivered in the order raised.
/// </summary>
public sealed class ArrivalOrderProperties
{
    private const int Cases = 100;

    private static readonly TimeSpan ClockStep = TimeSpan.FromMinutes(10);

    [Theory]
    [InlineData(1_000)]
    [InlineData(1)]
    public async Task AnyArrivalOrderOfEventsAndTimerFirings_GivesTheOutcomeOfTheStraightRun(int maxCachedInstances)
    {
        var time = new ManualTimeProvider();
        await using var engine = await StartAsync(maxCachedInstances, time);
        var run = 0;
        var property = Prop.ForAll(ArrivalCases.Abc(), async arrivals =>
        {
            run++;
            await using var ballast = await Ballast.StartAsync(engine, maxCachedInstances, $"ballast-{run}");
            var straight = await RunAsync(engine, time, ballast, $"straight-{run}", ArrivalCases.Straight(arrivals));
            var shuffled = await RunAsync(engine, time, ballast, $"shuffled-{run}", arrivals);
            Assert.Equal(straight, shuffled);
            Assert.Equal((OrchestrationRuntimeStatus.Completed, $"{arrivals.A},{arrivals.B},{arrivals.C}"), straight);
        });

        // Off the xunit synchronisation context: FsCheck blocks on each case's task.
        await Task.Run(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(Cases), property));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(1)]
    public async Task EventsWithTheSameName_AreDeliveredInRaiseOrder(int maxCachedInstances)
    {
        await using var engine = await StartAsync(maxCachedInstances, TimeProvider.System);
        var run = 0;
        var property = Prop.ForAll(ArrivalCases.Items(), async items =>
        {
            var id = $"items-{++run}";
            await using var ballast = await Ballast.StartAsync(engine, maxCachedInstances, $"ballast-{run}");
            await engine.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ItemsOrchestrator), id, items.Items.Count);
            for (var i = 0; i < items.Items.Count; i++)
            {
                await engine.Client.RaiseEventAsync(id, Cased(ItemsOrchestrator.Item, items.Shout[i]), items.Items[i]);
                await ballast.PokeAsync();
                if (items.Settle[i] && i + 1 < items.Items.Count)
                {
                    await WaitForStatusAsync(engine, id, i + 1);
                }
            }

            var done = await engine.CompletionAsync(id);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
            Assert.Equal(items.Items, done.ReadOutputAs<int[]>());
        });

        await Task.Run(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(Cases), property));
    }

    private static Task<EngineHost> StartAsync(int maxCachedInstances, TimeProvider time) =>
        EngineHost.StartAsync(
            b => b.AddOrchestrator<AbcTimersOrchestrator>().AddOrchestrator<ItemsOrchestrator>().AddOrchestrator<BallastOrchestrator>(),
            time,
            configure: o => o.MaxCachedInstances = maxCachedInstances);

    private static async Task<(OrchestrationRuntimeStatus, string?)> RunAsync(EngineHost engine, ManualTimeProvider time, Ballast ballast, string id, AbcCase arrivals)
    {
        var start = time.GetUtcNow().UtcDateTime;
        await engine.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(AbcTimersOrchestrator), id, new AbcInput(start + ClockStep, start + (2 * ClockStep)));
        var progress = new AbcProgress();
        foreach (var arrival in arrivals.Arrivals)
        {
            switch (arrival.Kind)
            {
                case ArrivalKind.Advance:
                    time.Advance(ClockStep);
                    break;
                case ArrivalKind.Noise:
                    try
                    {
                        await engine.Client.RaiseEventAsync(id, Cased("Noise", arrival.Shout), -1);
                    }
                    catch (OrchestrationNotRunningException) when (progress.Awaiting is null)
                    {
                        // Noise after everything the instance needed: it may have finished, and then refuses events.
                    }

                    break;
                default:
                    var (name, payload) = arrival.Kind switch
                    {
                        ArrivalKind.RaiseA => ("A", arrivals.A),
                        ArrivalKind.RaiseB => ("B", arrivals.B),
                        _ => ("C", arrivals.C),
                    };
                    await engine.Client.RaiseEventAsync(id, Cased(name, arrival.Shout), payload);
                    break;
            }

            progress.Apply(arrival.Kind);
            await ballast.PokeAsync();
            if (arrival.Settle && progress.Awaiting is { } awaiting)
            {
                await WaitForStatusAsync(engine, id, awaiting);
            }
        }

        var done = await engine.CompletionAsync(id);
        return (done.RuntimeStatus, done.ReadOutputAs<string>());
    }

    private static Task WaitForStatusAsync(EngineHost engine, string id, object expected)
    {
        var json = JsonSerializer.Serialize(expected, DurableJson.Options);
        return engine.WaitForCustomStatusAsync(id, status => status == json);
    }

    private static string Cased(string name, bool shout) => shout ? name.ToUpperInvariant() : name.ToLowerInvariant();

    /// <summary>With a one-instance cache, an instance poked after each arrival so the one under test gets evicted.</summary>
    private sealed class Ballast(EngineHost engine, string? instanceId) : IAsyncDisposable
    {
        public static async Task<Ballast> StartAsync(EngineHost engine, int maxCachedInstances, string instanceId)
        {
            if (maxCachedInstances > 1)
            {
                return new Ballast(engine, null);
            }

            await engine.Client.ScheduleNewOrchestrationInstanceAsync(nameof(BallastOrchestrator), instanceId, 0);
            return new Ballast(engine, instanceId);
        }

        public Task PokeAsync() =>
            instanceId is null ? Task.CompletedTask : engine.Client.RaiseEventAsync(instanceId, BallastOrchestrator.Poke, 0);

        public async ValueTask DisposeAsync()
        {
            if (instanceId is not null)
            {
                await engine.Client.TerminateInstanceAsync(instanceId, "case finished");
            }
        }
    }

    /// <summary>What the orchestrator must be waiting for once it has caught up with the arrivals so far.</summary>
    private sealed class AbcProgress
    {
        private readonly HashSet<ArrivalKind> _raised = [];
        private int _advances;

        public string? Awaiting =>
            !_raised.Contains(ArrivalKind.RaiseA) ? "A"
            : !_raised.Contains(ArrivalKind.RaiseB) ? "B"
            : !_raised.Contains(ArrivalKind.RaiseC) ? "C"
            : _advances < 2 ? AbcTimersOrchestrator.Timers
            : null;

        public void Apply(ArrivalKind kind)
        {
            if (kind == ArrivalKind.Advance)
            {
                _advances++;
            }
            else
            {
                _raised.Add(kind);
            }
        }
    }
}
