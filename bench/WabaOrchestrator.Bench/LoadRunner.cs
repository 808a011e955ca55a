using System.Diagnostics;

namespace WabaOrchestrator.Bench;

internal sealed record LoadResult(long Operations, long Failures, TimeSpan Elapsed, double P50Ms, double P99Ms)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;
}

/// <summary>Closed-loop load: <c>concurrency</c> workers each run <c>operation</c> back to back for a fixed time.</summary>
internal static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(Func<CancellationToken, Task<bool>> operation, int concurrency, TimeSpan duration, TimeSpan warmup, CancellationToken cancellationToken)
    {
        using (var warm = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            warm.CancelAfter(warmup);
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Loop(operation, null, warm.Token)));
        }

        var samples = new List<double>[concurrency];
        var failures = new long[concurrency];
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        run.CancelAfter(duration);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i =>
        {
            samples[i] = new List<double>(1 << 16);
            return Loop(operation, (ms, ok) => { samples[i].Add(ms); if (!ok) failures[i]++; }, run.Token);
        }));
        clock.Stop();

        var all = samples.SelectMany(s => s).Order().ToArray();
        return new LoadResult(all.Length, failures.Sum(), clock.Elapsed, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task Loop(Func<CancellationToken, Task<bool>> operation, Action<double, bool>? record, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            var start = Stopwatch.GetTimestamp();
            bool ok;
            try
            {
                ok = await operation(token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                ok = false;
            }

            record?.Invoke(Stopwatch.GetElapsedTime(start).TotalMilliseconds, ok);
        }
    }
}
