using NodaTime;

namespace Recovery.Journeys.Storage;

// A slot's timeline: no object for an instance's implied first entry, nor for the one message its first step sent,
// then one array of values.
public sealed partial class InMemoryJourneyStore
{
    private partial struct Slot
    {
        // Stands for the implied Entered entry followed by the Sent entry that the slot's last-sent fields imply (the
        // step, the instant and the channel of its last message): after a journey's first step its timeline is still no
        // object of its own, where an array of four entries was written into the old slot and kept (184 bytes a journey,
        // what every young collection promoted of a step). Written out as soon as those fields are about to change.
        private static readonly JourneyRecord ImpliedEnteredAndSent = new(default, string.Empty, Instant.MinValue, JourneyRecordKind.Sent);

        /// <summary>Adds the timeline, in order, to <paramref name="records"/>: each entry the one written or one equal to it.</summary>
        public readonly void AddTimelineTo(List<JourneyRecord> records, Func<JourneyRecord, bool>? where = null)
        {
            switch (_timeline)
            {
                case null:
                    return;
                case JourneyRecord pair when ReferenceEquals(pair, ImpliedEnteredAndSent):
                    AddIf(records, Resolve(ImpliedEntered), where);
                    AddIf(records, ImpliedSent(), where);
                    return;
                case JourneyRecord one:
                    AddIf(records, Resolve(one), where);
                    return;
                default:
                    var slots = (TimelineSlot[])_timeline;
                    for (var i = 0; i < slots.Length && slots[i].IsUsed; i++)
                    {
                        AddIf(records, slots[i].Resolve(_id, _journeyName!, EndReason), where);
                    }

                    return;
            }
        }

        public readonly List<JourneyRecord> TimelineToList()
        {
            var list = new List<JourneyRecord>(_timeline is TimelineSlot[] slots ? CountOf(slots) : ReferenceEquals(_timeline, ImpliedEnteredAndSent) ? 2 : 1);
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
                case JourneyRecord first when ReferenceEquals(first, ImpliedEntered) && following == 0 && IsImpliedSent(record):
                    // A step that sent one message, the last entry of its transition: kept as the slot's values.
                    _timeline = ImpliedEnteredAndSent;
                    break;
                case JourneyRecord pair when ReferenceEquals(pair, ImpliedEnteredAndSent):
                    // Written out with room for what follows (without a pause's entry, Set would have done it).
                    var written = ImpliedPairAsSlots(following + 1);
                    written[2] = TimelineSlot.Of(record, _id, _journeyName!, EndReason);
                    _timeline = written;
                    break;
                case JourneyRecord first:
                    // A timeline grows to four entries at its second (entered, three steps); one that ended for good
                    // (a journey exited before its first message: most paid checkouts) to the entries it has.
                    var slots = new TimelineSlot[EndedForGood ? following + 2 : Math.Max(4, following + 2)];
                    slots[0] = ReferenceEquals(first, ImpliedEntered) ? EnteredSlot() : TimelineSlot.Of(first, _id, _journeyName!, EndReason);
                    slots[1] = TimelineSlot.Of(record, _id, _journeyName!, EndReason);
                    _timeline = slots;
                    break;
                default:
                    var used = (TimelineSlot[])_timeline;
                    var count = CountOf(used);
                    if (count == used.Length)
                    {
                        // An instance that ended for good gets the room its last entries need and no more: its
                        // timeline stays as it is from now on (a step's entries come in its transition).
                        Array.Resize(ref used, EndedForGood ? count + following + 1 : Math.Max(count * 2, count + following + 1));
                        _timeline = used;
                    }

                    used[count] = TimelineSlot.Of(record, _id, _journeyName!, EndReason);
                    break;
            }
        }

        public void ClearTimeline() => _timeline = null;

        // An instance that ended and has nothing left to run (no exit action due): its timeline is given no room to
        // grow (a record written later still fits: the array then grows by what it needs).
        private readonly bool EndedForGood => !IsActive && WakeUpAt is null;

        /// <summary>
        /// Before <paramref name="next"/> is stored, writes out the Sent entry the slot's last-sent fields imply, if it
        /// changes: another message sent, or a field no transition changes (the entry's instance and journey).
        /// </summary>
        private void KeepImpliedSentFor(JourneyInstance next)
        {
            if (ReferenceEquals(_timeline, ImpliedEnteredAndSent)
                && (next.LastSentAt != LastSentAt
                    || !string.Equals(next.LastSentStepId, LastSentStepId, StringComparison.Ordinal)
                    || !string.Equals(next.LastSentChannel, LastSentChannel, StringComparison.Ordinal)
                    || !SameIdentity(next)))
            {
                // Room for the next step's entries, as the array had when it was made at the first step.
                _timeline = ImpliedPairAsSlots(2);
            }
        }

        /// <summary>The implied pair as an array of slots with <paramref name="room"/> more: no more once the instance ended for good.</summary>
        private readonly TimelineSlot[] ImpliedPairAsSlots(int room)
        {
            var slots = new TimelineSlot[EndedForGood ? 2 + room : Math.Max(4, 2 + room)];
            slots[0] = EnteredSlot();
            slots[1] = TimelineSlot.Plain(_id, _journeyName!, LastSentAt!.Value, JourneyRecordKind.Sent, LastSentStepId, LastSentChannel);
            return slots;
        }

        /// <summary>The slot of the implied Entered entry.</summary>
        private readonly TimelineSlot EnteredSlot() => TimelineSlot.Plain(_id, _journeyName!, StartedAt, JourneyRecordKind.Entered, null, null);

        /// <summary>Whether <paramref name="record"/> is the entry of one message sent that the slot's last-sent fields say.</summary>
        private readonly bool IsImpliedSent(JourneyRecord record) =>
            record.Kind == JourneyRecordKind.Sent
            && record.At == LastSentAt
            && record.StepId is not null
            && string.Equals(record.StepId, LastSentStepId, StringComparison.Ordinal)
            && string.Equals(record.Channel, LastSentChannel, StringComparison.Ordinal)
            && record.InstanceId == _id
            && string.Equals(record.JourneyName, _journeyName, StringComparison.Ordinal)
            && record.Detail is null
            && record.BoxedValue is null;

        private readonly JourneyRecord ImpliedSent() =>
            new(_id, _journeyName!, LastSentAt!.Value, JourneyRecordKind.Sent) { StepId = LastSentStepId, Channel = LastSentChannel };

        private static void AddIf(List<JourneyRecord> records, JourneyRecord record, Func<JourneyRecord, bool>? where)
        {
            if (where is null || where(record))
            {
                records.Add(record);
            }
        }

        private readonly bool IsImplied(JourneyRecord record) =>
            record.Kind == JourneyRecordKind.Entered
            && record.InstanceId == _id
            && record.At == StartedAt
            && string.Equals(record.JourneyName, _journeyName, StringComparison.Ordinal)
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
            ReferenceEquals(record, ImpliedEntered) ? new JourneyRecord(_id, _journeyName!, StartedAt, JourneyRecordKind.Entered) : record;

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
                            slots[i] = TimelineSlot.Whole(slots[i].Resolve(_id, _journeyName!, EndReason));
                        }
                    }

                    break;
            }
        }
    }
}
