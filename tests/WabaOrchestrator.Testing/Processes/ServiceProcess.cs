using System.Diagnostics;
using System.Net;
using System.Text;

namespace WabaOrchestrator.Testing.Processes;

/// <summary>
/// One of this repo's apps run as a real child process (<c>dotnet App.dll</c> from the caller's output directory,
/// where a project reference puts it), configured through environment variables only, so no secret is visible in
/// its command line. Its stdout and stderr are kept line by line: they are the process's logs.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Resident set size now, in bytes.</summary>
    public long WorkingSet
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    /// <param name="assemblyName">e.g. <c>WabaOrchestrator.Local</c>; its .dll must sit next to the caller.</param>
    /// <param name="arguments">Command-line arguments; never secrets (use <paramref name="environment"/>).</param>
    /// <param name="environment">Configuration as environment variables (<c>Section__Key</c>).</param>
    /// <param name="workingDirectory">Where relative paths of the process resolve.</param>
    public static ServiceProcess Start(string assemblyName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string workingDirectory)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{assemblyName} was not built next to the caller ({path}); reference its project.", path);
        }

        var start = new ProcessStartInfo(DotnetPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The child must not inherit the test runner's own settings (e.g. an ASPNETCORE_ENVIRONMENT or URLs).
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ServiceProcess(process);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// True once <paramref name="path"/> answers 200, false while nothing listens yet; throws (with the process's output)
    /// when the process has exited, so a start-up failure is reported at once instead of at the poll's deadline.
    /// </summary>
    public async Task<bool> AnswersAsync(HttpClient client, string path)
    {
        if (HasExited)
        {
            throw new InvalidOperationException($"The process exited while starting.\n{Output}");
        }

        try
        {
            using var response = await client.GetAsync(path);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL on Linux: no shutdown code runs, exactly like a crash or an OOM kill.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnLine(string? line)
    {
        if (line is not null)
        {
            lock (_gate)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static string DotnetPath()
    {
        // The SDK tells child processes where its host is; a runner started some other way finds dotnet on PATH.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        return Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
