using System.Diagnostics;
using System.Text;

namespace WabaOrchestrator.Deployment.Tests.Infrastructure;

/// <summary>What a finished child process said: stdout apart (a compiled template), and both streams as they came.</summary>
public sealed record CommandResult(string Command, int ExitCode, string StandardOutput, string StandardError, string Output, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>For assertion messages: the command, its exit code and everything it printed.</summary>
    public override string ToString() => $"`{Command}` exited {ExitCode} after {Elapsed.TotalSeconds:F0}s:{Environment.NewLine}{Output}";
}

/// <summary>Runs a tool to completion with a deadline, keeping its stdout and stderr for the failure message.</summary>
public static class CommandLine
{
    public static async Task<CommandResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        TimeSpan timeout,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Repository.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var output = new StringBuilder();
        var standardOutput = new StringBuilder();
        var standardError = new StringBuilder();
        var gate = new Lock();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data, standardOutput);
        process.ErrorDataReceived += (_, e) => Append(e.Data, standardError);
        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Append($"[killed: no exit within {timeout}]", standardError);
            return Finish(-1);
        }

        // The parameterless wait drains the redirected streams after exit.
        await process.WaitForExitAsync();
        return Finish(process.ExitCode);

        void Append(string? line, StringBuilder stream)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                stream.AppendLine(line);
                output.AppendLine(line);
            }
        }

        CommandResult Finish(int exitCode)
        {
            lock (gate)
            {
                return new CommandResult(Describe(), exitCode, standardOutput.ToString(), standardError.ToString(), output.ToString(), clock.Elapsed);
            }
        }

        string Describe() => string.Join(' ', [Path.GetFileName(fileName), .. arguments]);
    }
}
