using System.Diagnostics;
using System.Net.Sockets;
using Azure.Storage.Blobs;
using WabaOrchestrator.Testing;
using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.Functions.Tests.Webhooks;

/// <summary>
/// Azurite's Blob service as a child process on a free loopback port with its data in a temp directory, for the Blob
/// token store to run against real Blob semantics (conditional creates, ETags). Killed and its directory deleted on
/// dispose. The one on PATH (.ci/run installs it globally) or else one npm installs once into the user's cache, so a
/// plain <c>dotnet test</c> needs no set-up step beyond Node.
/// </summary>
public sealed class Azurite : IAsyncLifetime
{
    // Azurite's well-known development account: public, documented, and accepted by nothing but the emulator.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const string Package = "azurite@3.37.0";

    private static readonly SemaphoreSlim Installing = new(1, 1);

    private readonly string _location = Path.Combine(Path.GetTempPath(), $"waba-azurite-{Guid.NewGuid():N}");
    private readonly int _port = LoopbackPort.Free();
    private Process? _process;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{_port}/devstoreaccount1;";

    /// <summary>A container of its own per caller, so tests never see each other's blobs.</summary>
    public BlobContainerClient NewContainer() => new BlobServiceClient(ConnectionString).GetBlobContainerClient($"tokens-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_location);
        var start = new ProcessStartInfo(await ExecutableAsync())
        {
            ArgumentList = { "--blobHost", "127.0.0.1", "--blobPort", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--location", _location, "--skipApiVersionCheck", "--silent" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            _process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"azurite-blob could not be started ({start.FileName}): npm install -g {Package}.", e);
        }

        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Poll.UntilAsync(AnswersAsync, $"Azurite to answer on 127.0.0.1:{_port}", TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        Directory.Delete(_location, recursive: true);
    }

    private static async Task<string> ExecutableAsync()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "azurite-blob"))
            .FirstOrDefault(File.Exists);
        if (onPath is not null)
        {
            return onPath;
        }

        var prefix = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "waba-orchestrator", Package);
        var executable = Path.Combine(prefix, "node_modules", ".bin", "azurite-blob");
        await Installing.WaitAsync();
        try
        {
            if (!File.Exists(executable))
            {
                using var npm = Process.Start(new ProcessStartInfo("npm")
                {
                    ArgumentList = { "install", "--prefix", prefix, "--no-audit", "--no-fund", "--loglevel", "error", Package },
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                })!;
                var output = npm.StandardOutput.ReadToEndAsync();
                var error = npm.StandardError.ReadToEndAsync();
                await npm.WaitForExitAsync();
                Assert.True(npm.ExitCode == 0 && File.Exists(executable), $"npm install {Package} failed ({npm.ExitCode}): {await output}{await error}");
            }

            return executable;
        }
        finally
        {
            Installing.Release();
        }
    }

    private async Task<bool> AnswersAsync()
    {
        Assert.False(_process!.HasExited, $"azurite-blob exited with {(_process.HasExited ? _process.ExitCode : 0)}");
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", _port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
