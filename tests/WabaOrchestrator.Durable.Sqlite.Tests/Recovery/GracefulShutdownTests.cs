using System.Text.Json;
using WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;
using WabaOrchestrator.Durable.Sqlite.TestHost;
using WabaOrchestrator.Durable.Sqlite.TestHost.Chain;
using WabaOrchestrator.Durable.Sqlite.TestHost.Driver;

namespace WabaOrchestrator.Durable.Sqlite.Tests.Recovery;

/// <summary>
/// SIGTERM lands while every instance's activity is mid-way through a real HTTP call: the engine lets those calls
/// finish, records their results, starts nothing new and exits by itself, so after a restart no effect happens twice.
/// </summary>
public sealed class GracefulShutdownTests
{
    private const int Instances = 4;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sigterm_WhileActivitiesAreMidWay_FinishesThem_AndAfterRestartEveryEffectHappenedOnce()
    {
        using var database = new TempDatabase();
        await using var endpoint = new EffectEndpoint();
        var arguments = new HostArguments(HostMode.Chaos, database.Path)
        {
            Instances = Instances,
            EffectUrl = endpoint.Url,
            ResultsPath = Path.Combine(database.Directory, "results.json"),
        };

        endpoint.Hold();
        await using (var first = ChildHost.Start(arguments))
        {
            // Every instance's first step has sent its POST and waits for the answer.
            await Poll.UntilAsync(() => endpoint.Effects.Count == Instances, Timeout, "every first step mid-call");
            first.Terminate();
            await first.WaitForLogAsync("Durable engine stopping", Timeout);
            endpoint.Release();

            Assert.Equal(0, await first.WaitForExitAsync(Timeout));
            Assert.True(endpoint.Effects.Count == Instances, $"Work started after SIGTERM: {string.Join(", ", endpoint.Effects)}");
        }

        await using (var second = ChildHost.Start(arguments))
        {
            Assert.Equal(0, await second.WaitForExitAsync(Timeout));
        }

        var results = InstanceResult.Read(arguments.ResultsPath);
        for (var i = 0; i < Instances; i++)
        {
            Assert.Equal(OrchestrationRuntimeStatus.Completed, results[i].Status);
            Assert.Equal(ChainScenario.Expected(i), JsonSerializer.Deserialize<ChainOutput>(results[i].SerializedOutput!, DurableJson.Options));
        }

        var effects = endpoint.Effects.CountBy(e => e).ToDictionary();
        for (var i = 0; i < Instances; i++)
        {
            for (var step = 0; step < ChainScenario.Steps; step++)
            {
                if (step != ChainScenario.FlakyStep)
                {
                    var effect = $"{ChainScenario.InstanceId(i)} {step}";
                    Assert.True(effects.GetValueOrDefault(effect) == 1, $"'{effect}' happened {effects.GetValueOrDefault(effect)} times: {string.Join(", ", endpoint.Effects)}");
                }
            }
        }
    }
}
