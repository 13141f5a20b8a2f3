using NodaTime;

namespace Recovery.Journeys.Storage;

// An entry: an instance, its timeline and its claim, kept with as few objects as a million waiting journeys allow.
public sealed partial class InMemoryJourneyStore
{
    private sealed class Entry(JourneyInstance instance, long sequence)
    {
        // Stands for the Entered entry that the instance implies (its id, journey and start, nothing else): most
        // instances wait with that one entry, which is then kept as no object at all and written out when read.
        private static readonly JourneyRecord ImpliedEntered = new(default, string.Empty, Instant.MinValue, JourneyRecordKind.Entered);

        private JourneyInstance _instance = instance;

        // The timeline: null when empty, one JourneyRecord (possibly ImpliedEntered), or an array of slots, a value
        // each (TimelineSlot), filled from the front, its unused slots zero: appended in place until full, then grown.
        private object? _timeline;

        public JourneyInstance Instance
        {
            get => _instance;
            set
            {
                if (_timeline is not null && (value.StartedAt != _instance.StartedAt || !string.Equals(value.JourneyName, _instance.JourneyName, StringComparison.Ordinal)))
                {
                    // The implied entry and the compact slots are written out from the instance: keep them as they
                    // were before the instance changes.
                    Materialize(all: true);
                }
                else if (_timeline is TimelineSlot[] && !string.Equals(value.EndReason, _instance.EndReason, StringComparison.Ordinal))
                {
                    Materialize(all: false);
                }

                _instance = value;
            }
        }

        public long Sequence { get; } = sequence;

        public Claim? Holder { get; set; }

        public bool Claimed => Holder is not null;

        public TaskCompletionSource? Released { get; set; }

        /// <summary>The timeline, in order; every entry read is the one written or one equal to it.</summary>
        public IEnumerable<JourneyRecord> Timeline
        {
            get
            {
                switch (_timeline)
                {
                    case null:
                        yield break;
                    case JourneyRecord one:
                        yield return Resolve(one);
                        yield break;
                    default:
                        var slots = (TimelineSlot[])_timeline;
                        for (var i = 0; i < slots.Length && slots[i].IsUsed; i++)
                        {
                            yield return slots[i].Resolve(_instance);
                        }

                        yield break;
                }
            }
        }

        public List<JourneyRecord> TimelineToList()
        {
            switch (_timeline)
            {
                case null:
                    return [];
                case JourneyRecord one:
                    return [Resolve(one)];
                default:
                    var slots = (TimelineSlot[])_timeline;
                    var count = CountOf(slots);
                    var list = new List<JourneyRecord>(count);
                    for (var i = 0; i < count; i++)
                    {
                        list.Add(slots[i].Resolve(_instance));
                    }

                    return list;
            }
        }

        public void Append(IReadOnlyList<JourneyRecord> records)
        {
            for (var i = 0; i < records.Count; i++)
            {
                Append(records[i], records.Count - i - 1);
            }
        }

        /// <summary>Appends a record, with <paramref name="following"/> more to come in the same transition.</summary>
        public void Append(JourneyRecord record, int following = 0)
        {
            ArgumentNullException.ThrowIfNull(record);
            switch (_timeline)
            {
                case null:
                    _timeline = IsImplied(record) ? ImpliedEntered : record;
                    break;
                case JourneyRecord first:
                    // A timeline grows to four entries at its second (entered, three steps).
                    var slots = new TimelineSlot[Math.Max(4, following + 2)];
                    slots[0] = ReferenceEquals(first, ImpliedEntered) ? TimelineSlot.Of(Resolve(first), _instance) : TimelineSlot.Of(first, _instance);
                    slots[1] = TimelineSlot.Of(record, _instance);
                    _timeline = slots;
                    break;
                default:
                    var used = (TimelineSlot[])_timeline;
                    var count = CountOf(used);
                    if (count == used.Length)
                    {
                        // An instance that ended for good gets the room its last entries need and no more: its
                        // timeline stays as it is from now on (a step's entries come in its transition).
                        var ended = !_instance.IsActive && _instance.WakeUpAt is null;
                        Array.Resize(ref used, ended ? count + following + 1 : Math.Max(count * 2, count + following + 1));
                        _timeline = used;
                    }

                    used[count] = TimelineSlot.Of(record, _instance);
                    break;
            }
        }

        public void ClearTimeline() => _timeline = null;

        private bool IsImplied(JourneyRecord record) =>
            record.Kind == JourneyRecordKind.Entered
            && record.InstanceId == _instance.Id
            && record.At == _instance.StartedAt
            && string.Equals(record.JourneyName, _instance.JourneyName, StringComparison.Ordinal)
            && record.StepId is null
            && record.Channel is null
            && record.Detail is null
            && record.Value is null;

        /// <summary>How many slots of a timeline's array are used: the used ones come first, so the first unused is found by halving.</summary>
        private static int CountOf(TimelineSlot[] slots)
        {
            int low = 0, high = slots.Length;
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (slots[middle].IsUsed)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            return low;
        }

        private JourneyRecord Resolve(JourneyRecord record) =>
            ReferenceEquals(record, ImpliedEntered) ? new JourneyRecord(_instance.Id, _instance.JourneyName, _instance.StartedAt, JourneyRecordKind.Entered) : record;

        /// <summary>Keeps whole the entries written out from the instance: all of them, or those that read its end reason.</summary>
        private void Materialize(bool all)
        {
            switch (_timeline)
            {
                case JourneyRecord one:
                    _timeline = Resolve(one);
                    break;
                case TimelineSlot[] slots:
                    for (var i = 0; i < slots.Length && slots[i].IsUsed; i++)
                    {
                        if (all || slots[i].ReadsEndReason)
                        {
                            slots[i] = TimelineSlot.Whole(slots[i].Resolve(_instance));
                        }
                    }

                    break;
            }
        }
    }

#if NET9_0_OR_GREATER
    /// <summary>Finds entries by their instance's id, which never changes, without keeping the id a second time.</summary>
    private sealed class ById : IEqualityComparer<Entry>, IAlternateEqualityComparer<JourneyInstanceId, Entry>
    {
        public static readonly ById Instance = new();

        public bool Equals(Entry? x, Entry? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.Instance.Id == y.Instance.Id);

        public int GetHashCode(Entry obj) => obj.Instance.Id.GetHashCode();

        public bool Equals(JourneyInstanceId alternate, Entry other) => other.Instance.Id == alternate;

        public int GetHashCode(JourneyInstanceId alternate) => alternate.GetHashCode();

        public Entry Create(JourneyInstanceId alternate) => throw new InvalidOperationException("An entry is added whole, never created from its id.");
    }

    /// <summary>Finds entries by their journey and correlation key, which never change for an instance.</summary>
    private sealed class ByKey : IEqualityComparer<Entry>, IAlternateEqualityComparer<(string Journey, string Key), Entry>
    {
        public static readonly ByKey Instance = new();

        public bool Equals(Entry? x, Entry? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && Equals((x.Instance.JourneyName, x.Instance.CorrelationKey), y));

        public int GetHashCode(Entry obj) => GetHashCode((obj.Instance.JourneyName, obj.Instance.CorrelationKey));

        public bool Equals((string Journey, string Key) alternate, Entry other) =>
            string.Equals(other.Instance.CorrelationKey, alternate.Key, StringComparison.Ordinal)
            && string.Equals(other.Instance.JourneyName, alternate.Journey, StringComparison.Ordinal);

        public int GetHashCode((string Journey, string Key) alternate) =>
            HashCode.Combine(StringComparer.Ordinal.GetHashCode(alternate.Journey), StringComparer.Ordinal.GetHashCode(alternate.Key));

        public Entry Create((string Journey, string Key) alternate) => throw new InvalidOperationException("An entry is added whole, never created from its key.");
    }
#else
    /// <summary>Entries by a key of their instance, in a dictionary (.NET 8 has no alternate lookups).</summary>
    private sealed class KeyedEntries<TKey>(Func<Entry, TKey> keyOf) : IEnumerable<Entry>
        where TKey : notnull
    {
        private readonly Dictionary<TKey, Entry> _byKey = [];

        public bool Add(Entry entry) => _byKey.TryAdd(keyOf(entry), entry);

        public bool Remove(Entry entry) => _byKey.Remove(keyOf(entry));

        public bool Remove(TKey key) => _byKey.Remove(key);

        public bool TryGetValue(TKey key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Entry entry) => _byKey.TryGetValue(key, out entry);

        public IEnumerator<Entry> GetEnumerator() => _byKey.Values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
#endif
}
