using System.Globalization;

namespace WabaOrchestrator.Durable.Sqlite.TestHost;

public enum HostMode
{
    /// <summary>Runs the chain scenario: starts its instances, raises their Go events, optionally exits when all are done.</summary>
    Chaos,

    /// <summary>Runs the two-events scenario: starts its instances, optionally raises First, optionally exits when done.</summary>
    Events,

    /// <summary>Raises one event to every two-events instance, prints "raised" and waits to be killed.</summary>
    Raise,
}

/// <summary>
/// <c>dotnet WabaOrchestrator.Durable.Sqlite.TestHost.dll &lt;chaos|events|raise&gt; &lt;database&gt; [--instances N]
/// [--audit FILE] [--activity-delay-ms N] [--event NAME] [--results FILE] [--parent PID] [--effect-url URL]</c>.
/// With <c>--results</c> the host exits (code 0) once every instance is finished, after writing their outcomes there.
/// </summary>
public sealed record HostArguments(HostMode Mode, string DatabasePath)
{
    public int Instances { get; init; } = 50;

    public string? AuditPath { get; init; }

    public TimeSpan ActivityDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    public string? EventName { get; init; }

    public string? ResultsPath { get; init; }

    public int? ParentProcessId { get; init; }

    /// <summary>Each step activity POSTs "instanceId step" here and waits for the answer: a real, countable side effect.</summary>
    public Uri? EffectUrl { get; init; }

    public static HostArguments Parse(IReadOnlyList<string> args)
    {
        if (args.Count < 2 || !Enum.TryParse<HostMode>(args[0], ignoreCase: true, out var mode))
        {
            throw new ArgumentException("Usage: <chaos|events|raise> <database> [--instances N] [--audit FILE] [--activity-delay-ms N] [--event NAME] [--results FILE] [--parent PID] [--effect-url URL]", nameof(args));
        }

        var parsed = new HostArguments(mode, args[1]);
        for (var i = 2; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"Option '{args[i]}' needs a value.", nameof(args));
            parsed = args[i] switch
            {
                "--instances" => parsed with { Instances = int.Parse(value, CultureInfo.InvariantCulture) },
                "--audit" => parsed with { AuditPath = value },
                "--activity-delay-ms" => parsed with { ActivityDelay = TimeSpan.FromMilliseconds(int.Parse(value, CultureInfo.InvariantCulture)) },
                "--event" => parsed with { EventName = value },
                "--results" => parsed with { ResultsPath = value },
                "--parent" => parsed with { ParentProcessId = int.Parse(value, CultureInfo.InvariantCulture) },
                "--effect-url" => parsed with { EffectUrl = new Uri(value) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'.", nameof(args)),
            };
        }

        return parsed;
    }

    /// <summary>The command line that <see cref="Parse"/> reads back.</summary>
    public IReadOnlyList<string> ToArgs()
    {
        var args = new List<string> { Mode.ToString().ToLowerInvariant(), DatabasePath, "--instances", Instances.ToString(CultureInfo.InvariantCulture) };
        args.AddRange(["--activity-delay-ms", ((int)ActivityDelay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)]);
        AddIfSet(args, "--audit", AuditPath);
        AddIfSet(args, "--event", EventName);
        AddIfSet(args, "--results", ResultsPath);
        AddIfSet(args, "--parent", ParentProcessId?.ToString(CultureInfo.InvariantCulture));
        AddIfSet(args, "--effect-url", EffectUrl?.AbsoluteUri);
        return args;
    }

    private static void AddIfSet(List<string> args, string option, string? value)
    {
        if (value is not null)
        {
            args.AddRange([option, value]);
        }
    }
}
