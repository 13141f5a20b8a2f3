namespace Recovery.Journeys.Storage;

// A slot's timeline: no object for an instance's implied first entry, then one array of values.
public sealed partial class InMemoryJourneyStore
{
    private partial struct Slot
    {
        /// <summary>Adds the timeline, in order, to <paramref name="records"/>: each entry the one written or one equal to it.</summary>
        public readonly void AddTimelineTo(List<JourneyRecord> records, Func<JourneyRecord, bool>? where = null)
        {
            switch (_timeline)
            {
                case null:
                    return;
                case JourneyRecord one:
                    AddIf(records, Resolve(one), where);
                    return;
                default:
                    var slots = (TimelineSlot[])_timeline;
                    for (var i = 0; i < slots.Length && slots[i].IsUsed; i++)
                    {
                        AddIf(records, slots[i].Resolve(_base!, EndReason), where);
                    }

                    return;
            }
        }

        public readonly List<JourneyRecord> TimelineToList()
        {
            var list = new List<JourneyRecord>(_timeline is TimelineSlot[] slots ? CountOf(slots) : 1);
            AddTimelineTo(list);
            return list;
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
                    slots[0] = ReferenceEquals(first, ImpliedEntered) ? TimelineSlot.Of(Resolve(first), _base!, EndReason) : TimelineSlot.Of(first, _base!, EndReason);
                    slots[1] = TimelineSlot.Of(record, _base!, EndReason);
                    _timeline = slots;
                    break;
                default:
                    var used = (TimelineSlot[])_timeline;
                    var count = CountOf(used);
                    if (count == used.Length)
                    {
                        // An instance that ended for good gets the room its last entries need and no more: its
                        // timeline stays as it is from now on (a step's entries come in its transition).
                        var ended = !IsActive && WakeUpAt is null;
                        Array.Resize(ref used, ended ? count + following + 1 : Math.Max(count * 2, count + following + 1));
                        _timeline = used;
                    }

                    used[count] = TimelineSlot.Of(record, _base!, EndReason);
                    break;
            }
        }

        public void ClearTimeline() => _timeline = null;

        private static void AddIf(List<JourneyRecord> records, JourneyRecord record, Func<JourneyRecord, bool>? where)
        {
            if (where is null || where(record))
            {
                records.Add(record);
            }
        }

        private readonly bool IsImplied(JourneyRecord record) =>
            record.Kind == JourneyRecordKind.Entered
            && record.InstanceId == _base!.Id
            && record.At == _base.StartedAt
            && string.Equals(record.JourneyName, _base.JourneyName, StringComparison.Ordinal)
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

        private readonly JourneyRecord Resolve(JourneyRecord record) =>
            ReferenceEquals(record, ImpliedEntered) ? new JourneyRecord(_base!.Id, _base.JourneyName, _base.StartedAt, JourneyRecordKind.Entered) : record;

        /// <summary>
        /// Before <paramref name="next"/> is stored, keeps whole the entries written out from the instance: all of them
        /// when its base is replaced (<paramref name="all"/>), or those that read its end reason when that changes.
        /// </summary>
        private void KeepTimelineFor(JourneyInstance next, bool all)
        {
            if (!all && string.Equals(next.EndReason, EndReason, StringComparison.Ordinal))
            {
                return;
            }

            switch (_timeline)
            {
                case JourneyRecord one when all:
                    _timeline = Resolve(one);
                    break;
                case TimelineSlot[] slots:
                    for (var i = 0; i < slots.Length && slots[i].IsUsed; i++)
                    {
                        if (all || slots[i].ReadsEndReason)
                        {
                            slots[i] = TimelineSlot.Whole(slots[i].Resolve(_base!, EndReason));
                        }
                    }

                    break;
            }
        }
    }
}
