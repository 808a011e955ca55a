using System.Text.Json;
using WabaOrchestrator.Functions.Hosting;

namespace WabaOrchestrator.Functions.Tests.Hosting;

internal sealed record FunctionEntry(string Name, string ScriptFile, string EntryPoint, IReadOnlyList<Binding> Bindings);

internal sealed record Binding(string Name, string Type, string Direction, string? Route, IReadOnlyList<string>? Methods, string? AuthLevel)
{
    /// <summary>Every field, methods included, in one comparable line.</summary>
    public string Describe() => $"{Name} {Type} {Direction} {Route} [{string.Join(",", Methods ?? [])}] {AuthLevel}";
}

/// <summary>
/// The <c>functions.metadata</c> the Worker SDK generates when the Functions project builds. The SDK adds it to that
/// project's copy-to-output items, so the build copies it next to the referenced Functions assembly in this project's
/// output, whatever the configuration or ArtifactsPath.
/// </summary>
internal static class FunctionsMetadataFile
{
    public static List<FunctionEntry> Read()
    {
        var functions = typeof(FunctionsHost).Assembly.Location;
        var path = Path.Combine(Path.GetDirectoryName(functions)!, "functions.metadata");
        Assert.True(File.Exists(path), $"The Functions build's functions.metadata is not next to {functions}.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray()
            .Select(f => new FunctionEntry(
                f.GetProperty("name").GetString()!,
                f.GetProperty("scriptFile").GetString()!,
                f.GetProperty("entryPoint").GetString()!,
                [.. f.GetProperty("bindings").EnumerateArray().Select(ReadBinding)]))
            .ToList();
    }

    /// <summary>One binding as the generated metadata provider hands it to the host: a JSON string.</summary>
    public static Binding ParseBinding(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ReadBinding(document.RootElement);
    }

    private static Binding ReadBinding(JsonElement binding) => new(
        binding.GetProperty("name").GetString()!,
        binding.GetProperty("type").GetString()!,
        binding.GetProperty("direction").GetString()!,
        binding.TryGetProperty("route", out var route) ? route.GetString() : null,
        binding.TryGetProperty("methods", out var methods) ? [.. methods.EnumerateArray().Select(m => m.GetString()!)] : null,
        binding.TryGetProperty("authLevel", out var auth) ? auth.GetString() : null);
}
