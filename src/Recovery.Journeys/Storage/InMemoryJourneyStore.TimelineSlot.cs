using NodaTime;

namespace Recovery.Journeys.Storage;

// A timeline entry as the in-memory store keeps it: a value in its instance's array, no object of its own.
public sealed partial class InMemoryJourneyStore
{
    /// <summary>
    /// One timeline entry of an instance, kept without its instance's id and journey (its entry's instance has them):
    /// the whole timeline is one array of these, where a list of <see cref="JourneyRecord"/>s held an object per entry
    /// for every collection to trace and copy. A read writes out a record equal to the one appended.
    /// </summary>
    /// <remarks>
    /// <see cref="_extra"/> holds what most entries leave unset: the detail (a string), the value (the record's own box),
    /// or, when the record belongs to another instance or journey, the record itself. An end with a value (a
    /// conversion: a reason and the amount, no channel) keeps its reason where the channel goes, flagged in the kind.
    /// </remarks>
    private readonly struct TimelineSlot
    {
        private static readonly Duration Earliest = Duration.FromNanoseconds(long.MinValue);
        private static readonly Duration Latest = Duration.FromNanoseconds(long.MaxValue);

        private readonly object? _extra;
        private readonly string? _stepId;
        private readonly string? _channel;
        // The instant in nanoseconds since the Unix epoch (8 bytes where an Instant takes 16): 1678 to 2262, or the record kept whole.
        private readonly long _at;

        // The kind plus one (a slot of zero is unused: an array's used slots come first), and DetailInChannel.
        private readonly byte _kind;

        private const byte DetailInChannel = 0x80;

        private TimelineSlot(object? extra, string? stepId, string? channel, long at, JourneyRecordKind kind, bool detailInChannel = false)
        {
            _extra = extra;
            _stepId = stepId;
            _channel = channel;
            _at = at;
            _kind = (byte)((byte)(kind + 1) | (detailInChannel ? DetailInChannel : 0));
        }

        public bool IsUsed => _kind != 0;

        /// <summary>The slot for a record of the instance <paramref name="owner"/>.</summary>
        public static TimelineSlot Of(JourneyRecord record, JourneyInstance owner)
        {
            if (record.InstanceId != owner.Id
                || !string.Equals(record.JourneyName, owner.JourneyName, StringComparison.Ordinal)
                || (record.Detail is not null && record.BoxedValue is not null && record.Channel is not null)
                || (uint)record.Kind >= DetailInChannel - 1
                || record.At - NodaConstants.UnixEpoch is var sinceEpoch && (sinceEpoch < Earliest || sinceEpoch > Latest))
            {
                return Whole(record);
            }

            return record is { Detail: { } detail, BoxedValue: { } value }
                ? new TimelineSlot(value, record.StepId, detail, sinceEpoch.ToInt64Nanoseconds(), record.Kind, detailInChannel: true)
                : new TimelineSlot(record.Detail ?? record.BoxedValue, record.StepId, record.Channel, sinceEpoch.ToInt64Nanoseconds(), record.Kind);
        }

        /// <summary>A slot that keeps the record itself (it says something a compact slot cannot, or its instance is about to change).</summary>
        public static TimelineSlot Whole(JourneyRecord record) => new(record, null, null, 0, JourneyRecordKind.Entered);

        /// <summary>The record this slot stands for, in the instance <paramref name="owner"/>.</summary>
        public JourneyRecord Resolve(JourneyInstance owner) => _extra switch
        {
            JourneyRecord whole => whole,
            _ when (_kind & DetailInChannel) != 0 => new JourneyRecord(owner.Id, owner.JourneyName, At, Kind) { StepId = _stepId, Detail = _channel, BoxedValue = _extra },
            string detail => new JourneyRecord(owner.Id, owner.JourneyName, At, Kind) { StepId = _stepId, Channel = _channel, Detail = detail },
            _ => new JourneyRecord(owner.Id, owner.JourneyName, At, Kind) { StepId = _stepId, Channel = _channel, BoxedValue = _extra },
        };

        private JourneyRecordKind Kind => (JourneyRecordKind)((_kind & ~DetailInChannel) - 1);

        private Instant At => NodaConstants.UnixEpoch + Duration.FromNanoseconds(_at);
    }
}
