using System.Text.Json;

namespace WabaOrchestrator.Durable.Sqlite.TestHost.Driver;

/// <summary>What the child reports for each instance when it exits after all of them finished.</summary>
public sealed record InstanceResult(string InstanceId, OrchestrationRuntimeStatus Status, string? SerializedOutput, FailureDetails? Failure)
{
    public static async Task WriteAsync(string path, IEnumerable<InstanceResult> results, CancellationToken cancellationToken)
    {
        // Written aside and renamed, so the test never reads a half-written file.
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(results, DurableJson.Options), cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    public static IReadOnlyList<InstanceResult> Read(string path) =>
        JsonSerializer.Deserialize<List<InstanceResult>>(File.ReadAllText(path), DurableJson.Options) ?? [];
}
