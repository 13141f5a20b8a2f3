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
    /// or, when the record belongs to another instance or journey, the record itself. An end with a value keeps its
    /// reason where the channel goes when it has no channel, or not at all when it is its instance's end reason (a
    /// conversion: the reason, the amount, the step and channel it is attributed to); either is flagged in the kind.
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

        // The kind plus one (a slot of zero is unused: an array's used slots come first), and the flags below.
        private readonly byte _kind;

        private const byte DetailInChannel = 0x80;
        private const byte DetailIsEndReason = 0x40;
        private const byte Flags = DetailInChannel | DetailIsEndReason;

        private TimelineSlot(object? extra, string? stepId, string? channel, long at, JourneyRecordKind kind, byte flags = 0)
        {
            _extra = extra;
            _stepId = stepId;
            _channel = channel;
            _at = at;
            _kind = (byte)((byte)(kind + 1) | flags);
        }

        /// <summary>Whether the slot reads its detail from its instance's end reason (to be kept whole before that changes).</summary>
        public bool ReadsEndReason => (_kind & DetailIsEndReason) != 0;

        public bool IsUsed => _kind != 0;

        /// <summary>The slot for a record of the instance <paramref name="ownerId"/> of journey <paramref name="ownerJourney"/>, which ended for <paramref name="endReason"/> (if it did).</summary>
        public static TimelineSlot Of(JourneyRecord record, JourneyInstanceId ownerId, string ownerJourney, string? endReason)
        {
            if (record.InstanceId != ownerId
                || !string.Equals(record.JourneyName, ownerJourney, StringComparison.Ordinal)
                || (record.Detail is not null && record.BoxedValue is not null && record.Channel is not null && !string.Equals(record.Detail, endReason, StringComparison.Ordinal))
                || (uint)record.Kind >= DetailIsEndReason - 1
                || record.At - NodaConstants.UnixEpoch is var sinceEpoch && (sinceEpoch < Earliest || sinceEpoch > Latest))
            {
                return Whole(record);
            }

            var at = sinceEpoch.ToInt64Nanoseconds();
            return record switch
            {
                { Detail: { } detail, BoxedValue: { } value, Channel: null } => new TimelineSlot(value, record.StepId, detail, at, record.Kind, DetailInChannel),
                { Detail: not null, BoxedValue: { } value } => new TimelineSlot(value, record.StepId, record.Channel, at, record.Kind, DetailIsEndReason),
                _ => new TimelineSlot(record.Detail ?? record.BoxedValue, record.StepId, record.Channel, at, record.Kind),
            };
        }

        /// <summary>
        /// The slot for an entry of the instance <paramref name="ownerId"/> of journey <paramref name="ownerJourney"/>
        /// with no detail and no value, one its instance's own fields imply (its entry, the message it sent last): equal
        /// to <see cref="Of"/> of that record, without making it.
        /// </summary>
        public static TimelineSlot Plain(JourneyInstanceId ownerId, string ownerJourney, Instant at, JourneyRecordKind kind, string? stepId, string? channel)
        {
            var sinceEpoch = at - NodaConstants.UnixEpoch;
            return sinceEpoch < Earliest || sinceEpoch > Latest
                ? Whole(new JourneyRecord(ownerId, ownerJourney, at, kind) { StepId = stepId, Channel = channel })
                : new TimelineSlot(null, stepId, channel, sinceEpoch.ToInt64Nanoseconds(), kind);
        }

        /// <summary>A slot that keeps the record itself (it says something a compact slot cannot, or its instance is about to change).</summary>
        public static TimelineSlot Whole(JourneyRecord record) => new(record, null, null, 0, JourneyRecordKind.Entered);

        /// <summary>The record this slot stands for, in the instance <paramref name="ownerId"/> of journey <paramref name="ownerJourney"/>, which ended for <paramref name="endReason"/>.</summary>
        public JourneyRecord Resolve(JourneyInstanceId ownerId, string ownerJourney, string? endReason) => _extra switch
        {
            JourneyRecord whole => whole,
            _ when (_kind & DetailInChannel) != 0 => new JourneyRecord(ownerId, ownerJourney, At, Kind) { StepId = _stepId, Detail = _channel, BoxedValue = _extra },
            _ when ReadsEndReason => new JourneyRecord(ownerId, ownerJourney, At, Kind) { StepId = _stepId, Channel = _channel, Detail = endReason, BoxedValue = _extra },
            string detail => new JourneyRecord(ownerId, ownerJourney, At, Kind) { StepId = _stepId, Channel = _channel, Detail = detail },
            _ => new JourneyRecord(ownerId, ownerJourney, At, Kind) { StepId = _stepId, Channel = _channel, BoxedValue = _extra },
        };

        private JourneyRecordKind Kind => (JourneyRecordKind)((_kind & ~Flags) - 1);

        private Instant At => NodaConstants.UnixEpoch + Duration.FromNanoseconds(_at);
    }
}
