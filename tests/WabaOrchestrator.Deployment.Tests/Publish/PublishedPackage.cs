using WabaOrchestrator.Deployment.Tests.Infrastructure;

namespace WabaOrchestrator.Deployment.Tests.Publish;

/// <summary>
/// One real <c>dotnet publish src/WabaOrchestrator.Functions -c Release</c> per test run (about a minute on two
/// cores), into a temp directory: what <c>azd deploy</c> zips and ships. The child gets its own ArtifactsPath so it
/// never writes into, or waits on, the build that runs these tests.
/// </summary>
public sealed class PublishedPackage : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"waba-publish-{Guid.NewGuid():N}");

    public string Directory => Path.Combine(_root, "out");

    public CommandResult Result { get; private set; } = null!;

    public string PathOf(params string[] parts) => Path.Combine([Directory, .. parts]);

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_root);
        var environment = new Dictionary<string, string?>
        {
            ["ArtifactsPath"] = Path.Combine(_root, "artifacts"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };

        // The test host inherits MSBuild's variables from `dotnet test`; the child must resolve its own SDK.
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase))
            {
                environment[name] = null;
            }
        }

        Result = await CommandLine.RunAsync(
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            ["publish", Repository.PathOf("src", "WabaOrchestrator.Functions"), "-c", "Release", "-o", Directory, "--nologo", "-nodeReuse:false"],
            Timeout,
            environment: environment);
    }

    public Task DisposeAsync()
    {
        try
        {
            System.IO.Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is not a test failure.
        }

        return Task.CompletedTask;
    }
}
