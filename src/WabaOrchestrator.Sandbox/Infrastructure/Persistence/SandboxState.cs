using System.Text.Json;
using System.Text.Json.Serialization;

namespace WabaOrchestrator.Sandbox.Infrastructure.Persistence;

/// <summary>The kinds of record the sandbox keeps; each is a key → JSON document map.</summary>
internal static class StateKinds
{
    public const string Application = "application";
    public const string Deployment = "deployment";
    public const string Waba = "waba";
    public const string Media = "media";
    public const string InboundSms = "inbound-sms";
    public const string Meta = "meta";
}

/// <summary>One upsert (<see cref="Json"/> set) or delete (<see cref="Json"/> null) of a record.</summary>
internal readonly record struct StateWrite(string Kind, string Key, string? Json)
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static StateWrite Put<T>(string kind, string key, T value) => new(kind, key, JsonSerializer.Serialize(value, Options));

    public static StateWrite Remove(string kind, string key) => new(kind, key, null);
}

/// <summary>
/// Where the sandbox keeps its state: nowhere (<see cref="MemorySandboxState"/>, the default: tests, benchmarks) or a
/// SQLite file in <c>Sandbox:DataDirectory</c> (<see cref="SqliteSandboxState"/>). Stores write through it before
/// they answer, so an acknowledged change survives a kill -9; they check <see cref="IsDurable"/> first so that the
/// in-memory path pays for no serialization at all.
/// </summary>
internal interface ISandboxState
{
    bool IsDurable { get; }

    /// <summary>Applies <paramref name="writes"/> atomically: all of them or, after a crash, none.</summary>
    void Write(params ReadOnlySpan<StateWrite> writes);

    IReadOnlyList<(string Key, T Value)> Load<T>(string kind);

    void Clear(string kind);
}

internal sealed class MemorySandboxState : ISandboxState
{
    public static readonly MemorySandboxState Instance = new();

    public bool IsDurable => false;

    public void Write(params ReadOnlySpan<StateWrite> writes)
    {
    }

    public IReadOnlyList<(string Key, T Value)> Load<T>(string kind) => [];

    public void Clear(string kind)
    {
    }
}
