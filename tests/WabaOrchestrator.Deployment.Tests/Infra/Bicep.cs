using WabaOrchestrator.Deployment.Tests.Infrastructure;

namespace WabaOrchestrator.Deployment.Tests.Infra;

/// <summary>
/// infra/ built and linted by the Bicep CLI from the restored Azure.Bicep.CommandLine.linux-x64 package, once per
/// test run: one <c>bicep build --pattern</c> and one <c>bicep lint --pattern</c> over every file (the CLI takes
/// seconds to start, so one process per file would cost minutes on a busy machine).
/// </summary>
public sealed class Bicep
{
    private const string Pattern = "infra/**/*.bicep";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task<Bicep>> Shared = new(RunAsync);

    private Bicep(CommandResult build, CommandResult lint, string outputDirectory)
    {
        Build = build;
        Lint = lint;
        OutputDirectory = outputDirectory;
    }

    /// <summary>Every .bicep under infra/, relative to the repository root.</summary>
    public static IReadOnlyList<string> Files { get; } = Directory
        .EnumerateFiles(Repository.PathOf("infra"), "*.bicep", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(Repository.Root, f))
        .Order(StringComparer.Ordinal)
        .ToList();

    public CommandResult Build { get; }

    public CommandResult Lint { get; }

    /// <summary>Where the ARM templates went, in infra/'s folder layout.</summary>
    public string OutputDirectory { get; }

    public static Task<Bicep> CompiledAsync() => Shared.Value;

    /// <summary>The ARM template compiled from <paramref name="file"/> (a path like infra/modules/x.bicep).</summary>
    public string TemplatePathOf(string file) =>
        Path.Combine(OutputDirectory, Path.ChangeExtension(Path.GetRelativePath("infra", file), ".json"));

    /// <summary>The build's and the linter's diagnostics about <paramref name="file"/> (each names its file first).</summary>
    public IReadOnlyList<string> DiagnosticsFor(string file) =>
        [.. (Build.Output + Lint.Output).Split('\n').Where(line => line.StartsWith(Repository.PathOf(file) + "(", StringComparison.Ordinal))];

    private static async Task<Bicep> RunAsync()
    {
        EnsureExecutable();
        var output = Path.Combine(AppContext.BaseDirectory, "infra-compiled");
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        var environment = new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };
        var build = await CommandLine.RunAsync(Repository.BicepPath, ["build", "--pattern", Pattern, "--outdir", output], Timeout, environment: environment);
        var lint = await CommandLine.RunAsync(Repository.BicepPath, ["lint", "--pattern", Pattern], Timeout, environment: environment);
        return new Bicep(build, lint, output);
    }

    /// <summary>NuGet extracts files without their mode on some systems; the CLI needs its execute bit.</summary>
    private static void EnsureExecutable()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(Repository.BicepPath);
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(Repository.BicepPath, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
    }
}
