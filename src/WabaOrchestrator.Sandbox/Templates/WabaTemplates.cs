using System.Globalization;
using System.Text.Json;
using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Templates;

internal enum TemplateChange
{
    Done,
    NotFound,
    Duplicate,
    NotEditable,
    NameChanged,
    LanguageChanged,
    WabaFull,
    StoreFull,
}

/// <summary>A template with its JSON, serialized once per change so reads only copy bytes.</summary>
internal sealed record StoredTemplate(Template Template, ReadOnlyMemory<byte> Json);

internal sealed record TemplatePage(IReadOnlyList<StoredTemplate> Templates, bool HasPrevious, bool HasNext);

/// <summary>One WABA's templates as the data directory keeps them, with the absolute due times of pending reviews.</summary>
internal sealed record WabaRecord(IReadOnlyList<TemplateRecord> Templates, IReadOnlyList<ReviewRecord> Reviews);

internal sealed record TemplateRecord(Template Template, int Version);

internal sealed record ReviewRecord(long Id, int Version, DateTimeOffset Due);

/// <summary>
/// One WABA's templates, ordered by id (ids only grow, so creation order). Every operation takes the
/// WABA's lock and first completes the reviews that are due, so the review simulation is lazy,
/// needs no timers, and every reader sees a state consistent with the clock. Review due times are absolute, so a
/// review that fell due while the sandbox was down is complete as soon as the WABA is read again.
/// </summary>
internal sealed class WabaTemplates
{
    private readonly Action<WabaRecord>? _persist;
    private readonly Lock _gate = new();
    private readonly List<Entry> _entries = [];
    private readonly Dictionary<(string Name, string Language), Entry> _byNameAndLanguage = [];
    private readonly PriorityQueue<(Entry Entry, int Version), DateTimeOffset> _reviews = new();
    private readonly TemplateBudget _budget;
    private readonly int _maxTemplates;

    /// <summary>A new WABA with its seed templates; <paramref name="persist"/> writes it through after each change, under its lock (null in memory).</summary>
    public WabaTemplates(IEnumerable<Template> seeds, TemplateBudget budget, int maxTemplates, Action<WabaRecord>? persist = null)
    {
        _budget = budget;
        _maxTemplates = maxTemplates;
        _persist = persist;
        foreach (var seed in seeds)
        {
            Insert(new Entry(long.Parse(seed.Id, CultureInfo.InvariantCulture), seed));
        }

        Persist();
    }

    /// <summary>A WABA loaded back from the data directory, its reviews still due when they were.</summary>
    public WabaTemplates(WabaRecord record, TemplateBudget budget, int maxTemplates, Action<WabaRecord>? persist)
    {
        _budget = budget;
        _maxTemplates = maxTemplates;
        _persist = persist;
        foreach (var stored in record.Templates.OrderBy(t => long.Parse(t.Template.Id, CultureInfo.InvariantCulture)))
        {
            Insert(new Entry(long.Parse(stored.Template.Id, CultureInfo.InvariantCulture), stored.Template) { Version = stored.Version });
        }

        foreach (var review in record.Reviews)
        {
            if (Find(review.Id) is { } entry)
            {
                _reviews.Enqueue((entry, review.Version), review.Due);
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public (Template? Template, TemplateChange Result) Add(TemplateDefinition definition, Func<long> nextId, DateTimeOffset now, TimeSpan reviewDelay)
    {
        lock (_gate)
        {
            CompleteDueReviews(now);
            if (_byNameAndLanguage.TryGetValue((definition.Name, definition.Language), out var existing))
            {
                return (existing.Template, TemplateChange.Duplicate);
            }

            if (_entries.Count >= _maxTemplates)
            {
                return (null, TemplateChange.WabaFull);
            }

            if (!_budget.TryTake(1))
            {
                return (null, TemplateChange.StoreFull);
            }

            var id = nextId();
            var entry = new Entry(id, new Template(id.ToString(CultureInfo.InvariantCulture), definition.Name, definition.Language,
                TemplateStatuses.Pending, definition.Category, null, null, null, definition.Components));
            Insert(entry);
            _reviews.Enqueue((entry, entry.Version), now + reviewDelay);
            Persist();
            return (entry.Template, TemplateChange.Done);
        }
    }

    public StoredTemplate? Get(long id, DateTimeOffset now)
    {
        lock (_gate)
        {
            CompleteDueReviews(now);
            return Find(id)?.Stored;
        }
    }

    /// <summary>Replaces category and components and sends the template back to review.</summary>
    public (Template? Template, TemplateChange Result) Update(long id, TemplateDefinition definition, DateTimeOffset now, TimeSpan reviewDelay)
    {
        lock (_gate)
        {
            CompleteDueReviews(now);
            if (Find(id) is not { } entry)
            {
                return (null, TemplateChange.NotFound);
            }

            var current = entry.Template;
            var result = !TemplateStatuses.Editable.Contains(current.Status) ? TemplateChange.NotEditable
                : current.Name != definition.Name ? TemplateChange.NameChanged
                : current.Language != definition.Language ? TemplateChange.LanguageChanged
                : TemplateChange.Done;
            if (result != TemplateChange.Done)
            {
                return (current, result);
            }

            entry.Template = current with
            {
                Status = TemplateStatuses.Pending,
                Category = definition.Category,
                PreviousCategory = definition.Category != current.Category ? current.Category : current.PreviousCategory,
                QualityScore = null,
                RejectedReason = null,
                Components = definition.Components,
            };
            entry.Version++;
            _reviews.Enqueue((entry, entry.Version), now + reviewDelay);
            Persist();
            return (entry.Template, TemplateChange.Done);
        }
    }

    /// <summary>Deletes every language of <paramref name="name"/>, or only template <paramref name="id"/> when given; returns how many.</summary>
    public int Delete(string name, long? id, DateTimeOffset now)
    {
        lock (_gate)
        {
            CompleteDueReviews(now);
            var removed = _entries.RemoveAll(e => e.Template.Name == name && (id is null || e.Id == id));
            if (removed > 0)
            {
                foreach (var key in _byNameAndLanguage.Keys.Where(k => k.Name == name).ToList())
                {
                    if (id is null || _byNameAndLanguage[key].Id == id)
                    {
                        _byNameAndLanguage[key].Removed = true;
                        _byNameAndLanguage.Remove(key);
                    }
                }

                _budget.Return(removed);
                Persist();
            }

            return removed;
        }
    }

    /// <summary>
    /// A page of matching templates starting after or before a template id. The cursor template need
    /// not exist any more: ids order the list, so a deleted cursor still marks a position.
    /// </summary>
    public TemplatePage Page(TemplateFilter filter, PageStart start, int limit, DateTimeOffset now)
    {
        lock (_gate)
        {
            CompleteDueReviews(now);
            var page = new List<int>(Math.Min(limit + 1, _entries.Count));
            if (start.Direction == PageDirection.Forward)
            {
                var from = start.TemplateId is { } after ? LowerBound(after + 1) : 0;
                for (var i = from; i < _entries.Count && page.Count <= limit; i++)
                {
                    if (filter.Matches(_entries[i].Template))
                    {
                        page.Add(i);
                    }
                }
            }
            else
            {
                for (var i = LowerBound(start.TemplateId!.Value) - 1; i >= 0 && page.Count <= limit; i--)
                {
                    if (filter.Matches(_entries[i].Template))
                    {
                        page.Add(i);
                    }
                }
            }

            // One extra match was read to learn whether the page in the reading direction goes on.
            var more = page.Count > limit;
            if (more)
            {
                page.RemoveAt(page.Count - 1);
            }

            if (start.Direction == PageDirection.Backward)
            {
                page.Reverse();
            }

            if (page.Count == 0)
            {
                return new TemplatePage([], false, false);
            }

            var hasPrevious = start.Direction == PageDirection.Backward ? more : AnyMatch(filter, page[0] - 1, -1);
            var hasNext = start.Direction == PageDirection.Forward ? more : AnyMatch(filter, page[^1] + 1, +1);
            return new TemplatePage(page.ConvertAll(i => _entries[i].Stored), hasPrevious, hasNext);
        }
    }

    private bool AnyMatch(TemplateFilter filter, int from, int step)
    {
        for (var i = from; i >= 0 && i < _entries.Count; i += step)
        {
            if (filter.Matches(_entries[i].Template))
            {
                return true;
            }
        }

        return false;
    }

    private void CompleteDueReviews(DateTimeOffset now)
    {
        while (_reviews.TryPeek(out var review, out var due) && due <= now)
        {
            _reviews.Dequeue();
            var entry = review.Entry;

            // Stale when the template was deleted or edited again since this review was scheduled.
            if (!entry.Removed && entry.Version == review.Version && entry.Template.Status == TemplateStatuses.Pending)
            {
                entry.Template = TemplateReview.Decide(entry.Template);
            }
        }
    }

    // Caller holds the lock (or is the constructor). Completed reviews need no write: the stored PENDING template and
    // its due review decide the same way again after a restart.
    private void Persist()
    {
        if (_persist is null)
        {
            return;
        }

        var reviews = _reviews.UnorderedItems
            .Where(r => !r.Element.Entry.Removed && r.Element.Entry.Version == r.Element.Version && r.Element.Entry.Template.Status == TemplateStatuses.Pending)
            .Select(r => new ReviewRecord(r.Element.Entry.Id, r.Element.Version, r.Priority));
        _persist(new WabaRecord([.. _entries.Select(e => new TemplateRecord(e.Template, e.Version))], [.. reviews]));
    }

    private void Insert(Entry entry)
    {
        _entries.Add(entry);
        _byNameAndLanguage[(entry.Template.Name, entry.Template.Language)] = entry;
    }

    private Entry? Find(long id)
    {
        var index = LowerBound(id);
        return index < _entries.Count && _entries[index].Id == id ? _entries[index] : null;
    }

    /// <summary>Index of the first entry whose id is at least <paramref name="id"/>.</summary>
    private int LowerBound(long id)
    {
        int low = 0, high = _entries.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_entries[mid].Id < id)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private sealed class Entry(long id, Template template)
    {
        private StoredTemplate? _stored;

        public long Id { get; } = id;

        public Template Template
        {
            get;
            set
            {
                field = value;
                _stored = null;
            }
        } = template;

        /// <summary>Only read under the WABA's lock, so the lazy serialization happens once per change.</summary>
        public StoredTemplate Stored => _stored ??= new StoredTemplate(Template, JsonSerializer.SerializeToUtf8Bytes(Template, SandboxJson.Options));

        public int Version { get; set; }

        public bool Removed { get; set; }
    }
}

/// <summary>The store-wide template allowance, shared by every WABA of one store generation.</summary>
internal sealed class TemplateBudget(int max)
{
    private int _used;

    public bool TryTake(int count)
    {
        while (true)
        {
            var used = Volatile.Read(ref _used);
            if (used + count > max)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _used, used + count, used) == used)
            {
                return true;
            }
        }
    }

    public void Return(int count) => Interlocked.Add(ref _used, -count);
}
