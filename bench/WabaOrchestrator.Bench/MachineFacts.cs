using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace WabaOrchestrator.Bench;

/// <summary>
/// What the figures were measured on, read once at the start and completed at the end: on a shared 2-core machine the
/// load average beside a figure says more about it than the figure's decimals.
/// </summary>
internal sealed record MachineFacts(
    DateTime StartedUtc,
    bool Quick,
    IReadOnlyList<string> Benchmarks,
    int Cores,
    string CpuModel,
    double? TotalMemoryGb,
    string OperatingSystem,
    string Runtime,
    string? GitCommit,
    string? LoadAtStart,
    string? LoadAtEnd = null,
    TimeSpan? Duration = null)
{
    public static MachineFacts AtStart(bool quick, IReadOnlyList<string> benchmarks) => new(
        DateTime.UtcNow,
        quick,
        benchmarks,
        Environment.ProcessorCount,
        ReadCpuModel(),
        ReadTotalMemoryGb(),
        OperatingSystemName(),
        RuntimeInformation.FrameworkDescription + " " + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
        ReadGitCommit(),
        LoadAverage());

    public MachineFacts AtEnd(TimeSpan duration) => this with { LoadAtEnd = LoadAverage(), Duration = duration };

    private static string ReadCpuModel()
    {
        var line = ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static double? ReadTotalMemoryGb()
    {
        var line = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        if (line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture, out var kb))
        {
            return kb / (1024.0 * 1024);
        }

        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return available > 0 ? available / (1024.0 * 1024 * 1024) : null;
    }

    private static string OperatingSystemName()
    {
        // OSDescription names the distribution on Linux; OSVersion adds the kernel.
        return $"{RuntimeInformation.OSDescription} ({Environment.OSVersion})";
    }

    /// <summary>1, 5 and 15-minute load averages, or null where the OS does not publish them.</summary>
    private static string? LoadAverage()
    {
        var line = ReadLines("/proc/loadavg").FirstOrDefault();
        return line is null ? null : string.Join(" / ", line.Split(' ').Take(3));
    }

    private static string? ReadGitCommit()
    {
        if (RepositoryRoot.Find() is not { } root)
        {
            return null;
        }

        var commit = Git(root, "rev-parse", "--short=12", "HEAD");
        if (commit is null)
        {
            return null;
        }

        // Other people commit and edit in the same checkout: say whether the tree differed from the commit.
        var changes = Git(root, "status", "--porcelain", "--untracked-files=no");
        return changes is { Length: > 0 } ? $"{commit} (with uncommitted changes)" : commit;
    }

    private static string? Git(string root, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var git = Process.Start(start);
            if (git is null)
            {
                return null;
            }

            var output = git.StandardOutput.ReadToEnd();
            git.StandardError.ReadToEnd();
            return git.WaitForExit(10_000) && git.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No git on this machine: the report just has no commit.
            return null;
        }
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllLines(path) : [];
        }
        catch (IOException)
        {
            return [];
        }
    }
}
