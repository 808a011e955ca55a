using System.Diagnostics;
using System.Net.Sockets;
using Azure.Storage.Blobs;
using WabaOrchestrator.Testing;
using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.Functions.Tests.Webhooks;

/// <summary>
/// Azurite's Blob service (<c>npm install -g azurite@3.37.0</c>; .ci/run installs it) as a child process on a free
/// loopback port with its data in a temp directory, for the Blob token store to run against real Blob semantics
/// (conditional creates, ETags). Killed and its directory deleted on dispose.
/// </summary>
public sealed class Azurite : IAsyncLifetime
{
    // Azurite's well-known development account: public, documented, and accepted by nothing but the emulator.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

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
        var start = new ProcessStartInfo("azurite-blob")
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
            throw new InvalidOperationException("azurite-blob is not on PATH: npm install -g azurite@3.37.0 (.ci/run does it).", e);
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
