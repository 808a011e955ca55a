using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding;

namespace WabaOrchestrator.Testing;

/// <summary>The embedded SQLite engine of the local host, as <see cref="StackHost"/> runs it.</summary>
public sealed class SqliteOnboardingEngine(StackHost host) : IOnboardingEngine
{
    public static readonly OnboardingEngineFactory Factory = async options => new SqliteOnboardingEngine(await StackHost.StartAsync(options));

    public string Name => "SQLite";

    public StackHost Host { get; } = host;

    public IOrchestrationClient Client => Host.Services.GetRequiredService<IOrchestrationClient>();

    public OnboardingStarter Starter => Host.Services.GetRequiredService<OnboardingStarter>();

    public IServiceProvider Services => Host.Services;

    public LoopbackVonage Vonage => Host.Vonage;

    /// <summary>The raw bytes of every file the engine keeps (database, WAL, shared memory, key files).</summary>
    public Task<IReadOnlyList<(string Name, string Text)>> StoredStateAsync(string instanceId)
    {
        // The empty lock file is held exclusively.
        IReadOnlyList<(string, string)> files = Directory.GetFiles(Host.DataDirectory, "*", SearchOption.AllDirectories)
            .Where(path => !path.EndsWith(".lock", StringComparison.Ordinal))
            .Select(path => (Path.GetFileName(path), Encoding.Latin1.GetString(ReadShared(path))))
            .ToList();
        return Task.FromResult(files);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
