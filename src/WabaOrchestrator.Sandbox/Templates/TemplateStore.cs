using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Templates;

/// <summary>
/// Templates of every WABA. A WABA comes into being, seeded, the first time any template call names
/// it. Reset swaps in a fresh generation, so requests still running against the old one cannot
/// corrupt the new one's counts. Ids keep growing across resets and are never reused.
/// </summary>
internal sealed class TemplateStore(IOptions<TemplateLimits> limits) : IResettable
{
    // Shaped like Meta's 15-16 digit template ids.
    private long _lastId = 1_045_638_762_820_500;
    private Generation _current = new(limits.Value.MaxTemplates);

    public int SeedCount { get; } = TemplateSeeds.Create(() => 0).Count;

    public long NextId() => Interlocked.Increment(ref _lastId);

    /// <summary>The WABA's templates, or the reason it cannot be held (the store is at its limits).</summary>
    public (WabaTemplates? Waba, string? Refusal) For(string wabaId)
    {
        var generation = Volatile.Read(ref _current);
        if (generation.Wabas.TryGetValue(wabaId, out var waba))
        {
            return (waba, null);
        }

        lock (generation.Gate)
        {
            if (generation.Wabas.TryGetValue(wabaId, out waba))
            {
                return (waba, null);
            }

            if (generation.Wabas.Count >= limits.Value.MaxWabas)
            {
                return (null, $"The sandbox holds its maximum of {limits.Value.MaxWabas} WABAs; POST /_sandbox/reset to start afresh.");
            }

            if (!generation.Budget.TryTake(SeedCount))
            {
                return (null, $"The sandbox holds its maximum of {limits.Value.MaxTemplates} templates; delete some or POST /_sandbox/reset.");
            }

            waba = new WabaTemplates(TemplateSeeds.Create(NextId), generation.Budget, limits.Value.MaxTemplatesPerWaba);
            generation.Wabas[wabaId] = waba;
            return (waba, null);
        }
    }

    public void Reset() => Volatile.Write(ref _current, new Generation(limits.Value.MaxTemplates));

    private sealed class Generation(int maxTemplates)
    {
        public Lock Gate { get; } = new();

        public ConcurrentDictionary<string, WabaTemplates> Wabas { get; } = new(StringComparer.Ordinal);

        public TemplateBudget Budget { get; } = new(maxTemplates);
    }
}
