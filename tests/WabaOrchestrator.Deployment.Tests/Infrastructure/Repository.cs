using System.Reflection;

namespace WabaOrchestrator.Deployment.Tests.Infrastructure;

/// <summary>Paths the build wrote into this assembly (the csproj's AssemblyMetadata), so tests never guess them.</summary>
public static class Repository
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    /// <summary>The Bicep CLI inside the restored Azure.Bicep.CommandLine.linux-x64 package.</summary>
    public static string BicepPath { get; } = Metadata("BicepPath");

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The test assembly has no '{key}' metadata: build it with its csproj.");
}
