namespace WabaOrchestrator.Durable.Sqlite.TestHost.Chain;

public sealed record StepInput(int Step, long Value);

public sealed record ChainOutput(long Value, int Go);

/// <summary>
/// The chaos workload: per instance three activities, a durable timer, a wait for the Go event (racing a timeout timer that is then cancelled), an activity that fails
/// on its first execution (retried after a durable timer), and two more activities. Every value is a pure function of
/// the instance index, so the test knows each instance's right output.
/// </summary>
public static class ChainScenario
{
    public const string InstancePrefix = "chain-";
    public const string GoEvent = "Go";
    public const string WaitingForGo = "waiting-go";
    public const int StepsBeforeEvent = 3;
    public const int FlakyStep = 3;
    public const int Steps = 6;

    public static readonly TimeSpan TimerDelay = TimeSpan.FromMilliseconds(150);

    public static readonly TimeSpan GoTimeout = TimeSpan.FromHours(1);

    public static readonly RetryPolicy FlakyRetry = new(maxNumberOfAttempts: 3, firstRetryInterval: TimeSpan.FromMilliseconds(100));

    public static string InstanceId(int index) => $"{InstancePrefix}{index:D3}";

    public static int GoValue(string instanceId) => 1_000 + (int)(Hash(instanceId) % 1_000);

    public static long Next(int step, long value) => ((value * 31) + (step * 7) + 11) % 1_000_003;

    public static long AfterGo(long value, int go) => (value + go) % 1_000_003;

    public static ChainOutput Expected(int index)
    {
        var id = InstanceId(index);
        long value = index;
        for (var step = 0; step < StepsBeforeEvent; step++)
        {
            value = Next(step, value);
        }

        value = AfterGo(value, GoValue(id));
        for (var step = StepsBeforeEvent; step < Steps; step++)
        {
            value = Next(step, value);
        }

        return new ChainOutput(value, GoValue(id));
    }

    private static uint Hash(string text)
    {
        // FNV-1a: string.GetHashCode is randomised per process, and the child and the test must agree.
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash;
    }
}
