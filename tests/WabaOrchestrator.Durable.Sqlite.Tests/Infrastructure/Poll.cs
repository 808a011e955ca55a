using System.Diagnostics;

namespace WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;

/// <summary>Waits for a condition with a deadline instead of sleeping for a guessed time.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string? what = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Condition {(what is null ? string.Empty : $"'{what}' ")}was not met within {timeout.TotalSeconds:0.#} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string? what = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what);
}
