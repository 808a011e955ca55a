using System.Diagnostics;
using System.Text;
using WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;
using WabaOrchestrator.Durable.Sqlite.TestHost;

namespace WabaOrchestrator.Durable.Sqlite.Tests.Recovery;

/// <summary>
/// The engine in a child process (<c>dotnet WabaOrchestrator.Durable.Sqlite.TestHost.dll ...</c>), so it can be
/// killed the hard way. Its stdout carries protocol lines ("started", "ready", "raised", "done"); stderr its logs.
/// </summary>
internal sealed class ChildHost : IAsyncDisposable
{
    private const string HostAssembly = "WabaOrchestrator.Durable.Sqlite.TestHost.dll";

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly StringBuilder _errors = new();

    private ChildHost(Process process) => _process = process;

    public int Id => _process.Id;

    public static ChildHost Start(HostArguments arguments)
    {
        var hostPath = Path.Combine(AppContext.BaseDirectory, HostAssembly);
        if (!File.Exists(hostPath))
        {
            throw new FileNotFoundException($"The test host was not built next to the tests ({hostPath}).", hostPath);
        }

        var start = new ProcessStartInfo(DotnetPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(hostPath);
        foreach (var arg in (arguments with { ParentProcessId = Environment.ProcessId }).ToArgs())
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildHost(process);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data, isError: true);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits until the child printed <paramref name="line"/>; fails early, with its stderr, if it exits first.</summary>
    public Task WaitForLineAsync(string line, TimeSpan timeout) =>
        Poll.UntilAsync(
            () =>
            {
                lock (_gate)
                {
                    if (_lines.Contains(line))
                    {
                        return true;
                    }
                }

                return _process.HasExited
                    ? throw new InvalidOperationException($"The test host exited ({_process.ExitCode}) before printing '{line}'.\n{Diagnostics()}")
                    : false;
            },
            timeout,
            $"test host prints '{line}'");

    /// <summary>SIGTERM, as a service manager or container runtime stops a process: the host shuts down gracefully.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0 && !_process.HasExited)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed ({kill.ExitCode}).");
        }
    }

    /// <summary>Waits until the child logged a line containing <paramref name="fragment"/> (stderr).</summary>
    public Task WaitForLogAsync(string fragment, TimeSpan timeout) =>
        Poll.UntilAsync(
            () =>
            {
                lock (_gate)
                {
                    if (_errors.ToString().Contains(fragment, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }

                return _process.HasExited
                    ? throw new InvalidOperationException($"The test host exited ({_process.ExitCode}) before logging '{fragment}'.\n{Diagnostics()}")
                    : false;
            },
            timeout,
            $"test host logs '{fragment}'");

    /// <summary>SIGKILL on Linux: no shutdown code runs, exactly like a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The test host did not exit within {timeout.TotalSeconds} s.\n{Diagnostics()}");
        }

        return _process.ExitCode;
    }

    public string Diagnostics()
    {
        lock (_gate)
        {
            return $"stdout: {string.Join(" | ", _lines)}\nstderr:\n{_errors}";
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnLine(string? line, bool isError)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            if (isError)
            {
                _errors.AppendLine(line);
            }
            else
            {
                _lines.Add(line);
            }
        }
    }

    private static string DotnetPath()
    {
        // The SDK tells child processes where its host is; a test runner started some other way finds dotnet on PATH.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        return Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
