using System.Text.Json;

namespace WabaOrchestrator.Onboarding;

/// <summary>
/// Builds an onboarding's timeline inside the workflow. Everything it records comes from activity results, event
/// payloads and the context's clock, so a replay rebuilds the same timeline on either engine.
/// </summary>
/// <remarks>
/// The timeline of a running onboarding travels in the custom status (the only channel both engines give a running
/// instance without reading engine-specific history), so it must leave room in Durable Task's 16 KB custom status
/// limit: at most <see cref="MaxEntries"/> entries and <see cref="MaxBytes"/> of JSON, details cut to
/// <see cref="MaxDetail"/> characters; the oldest entries go first and are counted in <see cref="OnboardingTimeline.Dropped"/>.
/// </remarks>
internal sealed class TimelineRecorder
{
    public const int MaxEntries = 50;
    public const int MaxBytes = 10_000;
    public const int MaxDetail = 200;
    private const int MaxId = 100;

    private readonly LinkedList<(TimelineEntry Entry, int Bytes)> _entries = [];
    private int _bytes;
    private int _dropped;
    private DateTime? _droppedUntil;

    public void Add(TimelineEntry entry)
    {
        entry = entry with { Detail = Cut(entry.Detail, MaxDetail), DeliveryId = Cut(entry.DeliveryId, MaxId) };

        // Status polls that keep seeing the same state become one entry with a count, so a long wait cannot push the
        // interesting entries out.
        if (entry.Kind == TimelineKind.VonageCall && _entries.Last?.Value.Entry is { Kind: TimelineKind.VonageCall } last
            && last.Call == entry.Call && last.Outcome == entry.Outcome && last.HttpStatus == entry.HttpStatus && entry.Call == "GetDeployment")
        {
            _bytes -= _entries.Last.Value.Bytes;
            _entries.RemoveLast();
            entry = last with { Repeats = (last.Repeats ?? 1) + 1 };
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(entry).Length;
        _entries.AddLast((entry, bytes));
        _bytes += bytes;
        while (_entries.Count > MaxEntries || (_bytes > MaxBytes && _entries.Count > 1))
        {
            var oldest = _entries.First!.Value;
            _entries.RemoveFirst();
            _bytes -= oldest.Bytes;
            _dropped++;
            _droppedUntil = oldest.Entry.At;
        }
    }

    public OnboardingTimeline Snapshot() => new()
    {
        Entries = [.. _entries.Select(e => e.Entry)],
        Dropped = _dropped,
        DroppedUntil = _droppedUntil,
    };

    private static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
