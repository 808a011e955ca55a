using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Sandbox.Infrastructure;
using WabaOrchestrator.Sandbox.Infrastructure.Persistence;

namespace WabaOrchestrator.Sandbox.Templates;

/// <summary>
/// Templates of every WABA. A WABA comes into being, seeded, the first time any template call names
/// it. Reset swaps in a fresh generation, so requests still running against the old one cannot
/// corrupt the new one's counts. Ids keep growing across resets and restarts and are never reused. With a data
/// directory each WABA is written through after every change (with the last id issued) and loaded back at start.
/// </summary>
internal sealed class TemplateStore : IResettable
{
    private const string LastIdKey = "template-last-id";

    private readonly IOptions<TemplateLimits> _limits;
    private readonly ISandboxState _state;

    // Shaped like Meta's 15-16 digit template ids.
    private long _lastId = 1_045_638_762_820_500;
    private Generation _current;

    public TemplateStore(IOptions<TemplateLimits> limits, ISandboxState state)
    {
        _limits = limits;
        _state = state;
        _current = new Generation(limits.Value.MaxTemplates);
        foreach (var (_, lastId) in state.Load<long>(StateKinds.Meta).Where(m => m.Key == LastIdKey))
        {
            _lastId = Math.Max(_lastId, lastId);
        }

        foreach (var (wabaId, record) in state.Load<WabaRecord>(StateKinds.Waba))
        {
            var waba = new WabaTemplates(record, _current.Budget, limits.Value.MaxTemplatesPerWaba, Persister(_current, wabaId));
            _current.Budget.TryTake(waba.Count);
            _current.Wabas[wabaId] = waba;
            foreach (var template in record.Templates)
            {
                _lastId = Math.Max(_lastId, long.Parse(template.Template.Id, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

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

            if (generation.Wabas.Count >= _limits.Value.MaxWabas)
            {
                return (null, $"The sandbox holds its maximum of {_limits.Value.MaxWabas} WABAs; POST /_sandbox/reset to start afresh.");
            }

            if (!generation.Budget.TryTake(SeedCount))
            {
                return (null, $"The sandbox holds its maximum of {_limits.Value.MaxTemplates} templates; delete some or POST /_sandbox/reset.");
            }

            waba = new WabaTemplates(TemplateSeeds.Create(NextId), generation.Budget, _limits.Value.MaxTemplatesPerWaba, Persister(generation, wabaId));
            generation.Wabas[wabaId] = waba;
            return (waba, null);
        }
    }

    public void Reset()
    {
        var retired = Interlocked.Exchange(ref _current, new Generation(_limits.Value.MaxTemplates));
        retired.Retired = true;
        _state.Clear(StateKinds.Waba);
    }

    private Action<WabaRecord>? Persister(Generation generation, string wabaId) => !_state.IsDurable ? null : record =>
    {
        // A request still running against a generation that a reset retired must not bring its WABA back.
        if (!generation.Retired)
        {
            _state.Write(
                StateWrite.Put(StateKinds.Waba, wabaId, record),
                StateWrite.Put(StateKinds.Meta, LastIdKey, Interlocked.Read(ref _lastId)));
        }
    };

    private sealed class Generation(int maxTemplates)
    {
        public bool Retired { get; set; }

        public Lock Gate { get; } = new();

        public ConcurrentDictionary<string, WabaTemplates> Wabas { get; } = new(StringComparer.Ordinal);

        public TemplateBudget Budget { get; } = new(maxTemplates);
    }
}
