using WabaOrchestrator.Deployment.Tests.Infrastructure;

namespace WabaOrchestrator.Deployment.Tests.Infra;

/// <summary>The Bicep CLI from the restored Azure.Bicep.CommandLine.linux-x64 package.</summary>
public static class Bicep
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Every .bicep under infra/, relative to the repository root.</summary>
    public static IReadOnlyList<string> Files { get; } = Directory
        .EnumerateFiles(Repository.PathOf("infra"), "*.bicep", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(Repository.Root, f))
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>Compiles a file to its ARM template (JSON on stdout).</summary>
    public static Task<CommandResult> BuildAsync(string file) => RunAsync("build", file, "--stdout");

    public static Task<CommandResult> LintAsync(string file) => RunAsync("lint", file);

    private static async Task<CommandResult> RunAsync(params string[] arguments)
    {
        EnsureExecutable();
        // The CLI checks for a newer version and reaches registries only when told to: keep it offline and quiet.
        return await CommandLine.RunAsync(Repository.BicepPath, arguments, Timeout, environment: new Dictionary<string, string?>
        {
            ["BICEP_TRACING_ENABLED"] = "false",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        });
    }

    /// <summary>NuGet extracts files without their mode on some systems; the CLI needs its execute bit.</summary>
    private static void EnsureExecutable()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(Repository.BicepPath);
        const UnixFileMode execute = UnixFileMode.UserExecute;
        if ((mode & execute) == 0)
        {
            File.SetUnixFileMode(Repository.BicepPath, mode | execute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
    }
}
