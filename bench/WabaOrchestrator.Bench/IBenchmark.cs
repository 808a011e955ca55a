namespace WabaOrchestrator.Bench;

/// <summary>One benchmark; every implementation in this assembly is discovered and run by name.</summary>
internal interface IBenchmark
{
    /// <summary>Short name used on the command line (e.g. <c>sandbox</c>, <c>client</c>, <c>engine</c>).</summary>
    string Name { get; }

    string Description { get; }

    Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext context, CancellationToken cancellationToken);
}

/// <summary>
/// A measured figure. Where a target applies, <see cref="Target"/> says it in words and
/// <see cref="Met"/> whether this run met it; ratios are measured within one run because the
/// machines are shared and noisy.
/// </summary>
internal sealed record BenchResult(string Metric, double Value, string Unit, string? Target = null, bool? Met = null);

/// <summary>Run-wide settings: <c>--quick</c> shortens every measurement (for smoke runs).</summary>
internal sealed record BenchContext(bool Quick)
{
    public TimeSpan Duration(TimeSpan full) => Quick ? TimeSpan.FromTicks(Math.Max(full.Ticks / 10, TimeSpan.FromSeconds(1).Ticks)) : full;
}
