using WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;
using WabaOrchestrator.Durable.Sqlite.Tests.Workflows;

namespace WabaOrchestrator.Durable.Sqlite.Tests;

/// <summary>Durable:Synchronous as the engine's own writing connection applies it (SQLite: 2 is FULL, 1 is NORMAL).</summary>
public sealed class SynchronousTests
{
    [Fact]
    public async Task ByDefault_TheEngineCommitsWithSynchronousFull_SoAcknowledgedWorkSurvivesAPowerCut()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);

        Assert.Equal(SqliteSynchronous.Full, new SqliteDurableEngineOptions().Synchronous);
        Assert.Equal(2, await EngineSynchronousAsync(host));
        var done = await host.RunAsync(nameof(Chain), "full-chain", new StepInput("full-chain", 3));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
    }

    [Fact]
    public async Task ConfiguredNormal_TheEngineCommitsWithSynchronousNormal_AndStillRunsWork()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All, configure: o => o.Synchronous = SqliteSynchronous.Normal);

        Assert.Equal(1, await EngineSynchronousAsync(host));
        var done = await host.RunAsync(nameof(Chain), "normal-chain", new StepInput("normal-chain", 3));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
    }

    [Fact]
    public async Task TheLevel_IsTheSettingOfEachStart_NotWhatTheFileWasLastOpenedWith()
    {
        using var database = new TempDatabase();
        await using (var normal = await EngineHost.StartAsync(Registrations.All, databasePath: database.Path, configure: o => o.Synchronous = SqliteSynchronous.Normal))
        {
            Assert.Equal(1, await EngineSynchronousAsync(normal));
        }

        await using var full = await EngineHost.StartAsync(Registrations.All, databasePath: database.Path);
        Assert.Equal(2, await EngineSynchronousAsync(full));
    }

    [Fact]
    public async Task Start_WithALevelThatIsNeitherFullNorNormal_FailsNamingDurableSynchronous()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => EngineHost.StartAsync(Registrations.All, configure: o => o.Synchronous = (SqliteSynchronous)7));

        Assert.Contains("Durable:Synchronous", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Full or Normal", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>Read on the dispatcher, through the very connection every batch commits on.</summary>
    private static async Task<long> EngineSynchronousAsync(EngineHost host)
    {
        long level = -1;
        await host.Engine().SendAsync(new StoreCommand(s => level = s.Synchronous()), CancellationToken.None);
        return level;
    }
}
