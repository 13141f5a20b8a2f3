using System.Collections.Immutable;
using NodaTime;

namespace Recovery.Journeys.Storage;

// A stored instance as a value in the store's slab: no object of its own, and a step writes values, not references.
public sealed partial class InMemoryJourneyStore
{
    /// <summary>
    /// One instance with its timeline and its claim, a value in the store's slab (<see cref="Slab"/>). Every field of
    /// the instance is kept here as a value (its strings and its trigger by reference), and those few instances set (a
    /// retry's attempt and progress, the end, named values) in one object when set. A waiting journey thus keeps no
    /// instance object of its own (the one a start hands over is not kept: a young collection finds one object fewer
    /// to copy per journey), and a step writes no reference to a new object into an old one and keeps none of the
    /// objects it made: the instance a reader gets is made from the slot when read (<see cref="Instance"/>), equal to
    /// the one written. An instance with an instant out of the values' range (1678 to 2262) is kept whole instead.
    /// </summary>
    private partial struct Slot
    {
        // Stands for the Entered entry that the instance implies (its id, journey and start, nothing else): most
        // instances wait with that one entry, which is then kept as no object at all and written out when read.
        private static readonly JourneyRecord ImpliedEntered = new(default, string.Empty, Instant.MinValue, JourneyRecordKind.Entered);

        // An instant as nanoseconds since the Unix epoch (1678 to 2262): none is long.MinValue; any other instant
        // makes the slot keep its instance whole (_whole).
        private const long None = long.MinValue;
        private static readonly Duration Earliest = Duration.FromNanoseconds(long.MinValue + 1);
        private static readonly Duration Latest = Duration.FromNanoseconds(long.MaxValue);

        // The instance itself, when one of its instants is out of the values' range: the step's values below are then
        // not kept (the identity's are, for the store's lookups).
        private JourneyInstance? _whole;

        // The fields of an instance that waits, runs and listens at their defaults (null then), kept apart from the
        // instance as JourneyInstance itself keeps them; never changed once stored, replaced when they change.
        private JourneyInstanceDetails? _rare;

        // The timeline: null when empty, one JourneyRecord (possibly ImpliedEntered), or an array of slots, a value
        // each (TimelineSlot), filled from the front, its unused slots zero: appended in place until full, then grown.
        private object? _timeline;

        // What no step changes; a free slot has no journey name.
        private string? _journeyName;
        private string? _correlationKey;
        private string? _customerId;
        private string? _timeZone;
        private StoredEvent? _trigger;
        private JourneyInstanceId _id;
        private long _startedAt;
        private int _journeyVersion;

        private string? _nextStepId;
        private string? _lastSentStepId;
        private string? _lastSentChannel;
        private long _wakeUpAt;
        private long _stepDueAt;
        private long _lastStepAt;
        private long _lastSentAt;
        private byte _status;

        /// <summary>The claim holding the instance (a number of the store's), 0 when none.</summary>
        public int Holder;

        /// <summary>The order instances were stored in.</summary>
        public long Sequence;

        /// <summary>Whether the slot is free (no instance).</summary>
        public readonly bool IsFree => _journeyName is null;

        public readonly bool Claimed => Holder != 0;

        public readonly JourneyInstanceId Id => _id;

        public readonly string JourneyName => _journeyName!;

        public readonly string CorrelationKey => _correlationKey!;

        public readonly string? CustomerId => _customerId;

        public readonly JourneyStatus Status => _whole?.Status ?? (JourneyStatus)_status;

        public readonly bool IsActive => Status == JourneyStatus.Active;

        public readonly string? NextStepId => _whole is { } whole ? whole.NextStepId : _nextStepId;

        public readonly Instant? WakeUpAt => _whole is { } whole ? whole.WakeUpAt : Decode(_wakeUpAt);

        public readonly Instant? EndedAt => _rare?.EndedAt.Value;

        private readonly Instant StartedAt => _whole?.StartedAt ?? Decode(_startedAt)!.Value;

        private readonly Instant? LastSentAt => _whole is { } whole ? whole.LastSentAt : Decode(_lastSentAt);

        private readonly string? LastSentStepId => _whole is { } whole ? whole.LastSentStepId : _lastSentStepId;

        private readonly string? LastSentChannel => _whole is { } whole ? whole.LastSentChannel : _lastSentChannel;

        private readonly string? EndReason => _rare?.EndReason;

        /// <summary>The instance as last written (equal to it: made anew from the values at each read).</summary>
        public readonly JourneyInstance Instance => _whole ?? new JourneyInstance(
            _id,
            _journeyName!,
            _journeyVersion,
            _correlationKey!,
            _customerId,
            _timeZone,
            _trigger!,
            Decode(_startedAt)!.Value,
            (JourneyStatus)_status,
            _nextStepId,
            Decode(_wakeUpAt),
            Decode(_stepDueAt),
            _rare,
            Decode(_lastStepAt),
            _lastSentStepId,
            Decode(_lastSentAt),
            _lastSentChannel);

        public void Init(JourneyInstance instance, long sequence)
        {
            this = default;
            Sequence = sequence;
            KeepIdentity(instance);
            _rare = RareOf(instance, null);
            _whole = Keep(instance) ? null : instance;
        }

        public void Free() => this = default;

        /// <summary>Stores <paramref name="instance"/> (the same instance, by id): its values, or itself if one is out of their range.</summary>
        public void Set(JourneyInstance instance)
        {
            KeepImpliedSentFor(instance);
            var same = SameIdentity(instance);
            KeepTimelineFor(instance, all: !same);
            _rare = RareOf(instance, _rare);
            if (!same)
            {
                // Never for an instance the runtime moves: a field no transition changes.
                KeepIdentity(instance);
            }

            _whole = Keep(instance) ? null : instance;
        }

        private void KeepIdentity(JourneyInstance instance)
        {
            _id = instance.Id;
            _journeyName = instance.JourneyName;
            _journeyVersion = instance.JourneyVersion;
            _correlationKey = instance.CorrelationKey;
            _customerId = instance.CustomerId;
            _timeZone = instance.TimeZone;
            _trigger = instance.Trigger;
        }

        /// <summary>Keeps the values of the instance's instants and step fields; false when an instant is out of their range (the slot keeps the instance whole).</summary>
        private bool Keep(JourneyInstance instance)
        {
            if (!TryEncode(instance.StartedAt, out var startedAt)
                || !TryEncode(instance.WakeUpAt, out var wakeUpAt)
                || !TryEncode(instance.StepDueAt, out var stepDueAt)
                || !TryEncode(instance.LastStepAt, out var lastStepAt)
                || !TryEncode(instance.LastSentAt, out var lastSentAt)
                || (uint)instance.Status > byte.MaxValue)
            {
                _startedAt = None;
                return false;
            }

            _startedAt = startedAt;
            _status = (byte)instance.Status;
            _nextStepId = instance.NextStepId;
            _wakeUpAt = wakeUpAt;
            _stepDueAt = stepDueAt;
            _lastStepAt = lastStepAt;
            _lastSentAt = lastSentAt;
            _lastSentStepId = instance.LastSentStepId;
            _lastSentChannel = instance.LastSentChannel;
            return true;
        }

        /// <summary>The rarely set fields of <paramref name="instance"/>: <paramref name="kept"/> when equal, none when all at their defaults.</summary>
        private static JourneyInstanceDetails? RareOf(JourneyInstance instance, JourneyInstanceDetails? kept)
        {
            var variables = instance.Variables;
            var keptVariables = kept?.Variables ?? ImmutableDictionary<string, string>.Empty;
            if (instance.StepAttempt == (kept?.StepAttempt ?? 0)
                && string.Equals(instance.StepProgress, kept?.StepProgress, StringComparison.Ordinal)
                && instance.EndedAt == kept?.EndedAt.Value
                && string.Equals(instance.EndReason, kept?.EndReason, StringComparison.Ordinal)
                && ReferenceEquals(variables, keptVariables))
            {
                return kept;
            }

            var rare = new JourneyInstanceDetails
            {
                StepAttempt = instance.StepAttempt,
                StepProgress = instance.StepProgress,
                EndedAt = OptionalInstant.From(instance.EndedAt),
                EndReason = instance.EndReason,
                Variables = ReferenceEquals(variables, ImmutableDictionary<string, string>.Empty) ? null : variables,
            };
            return rare.IsEmpty ? null : rare;
        }

        /// <summary>Whether every field that no step changes is the slot's.</summary>
        private readonly bool SameIdentity(JourneyInstance instance) =>
            _id == instance.Id
            && string.Equals(_journeyName, instance.JourneyName, StringComparison.Ordinal)
            && _journeyVersion == instance.JourneyVersion
            && string.Equals(_correlationKey, instance.CorrelationKey, StringComparison.Ordinal)
            && string.Equals(_customerId, instance.CustomerId, StringComparison.Ordinal)
            && string.Equals(_timeZone, instance.TimeZone, StringComparison.Ordinal)
            && ReferenceEquals(_trigger, instance.Trigger)
            && StartedAt == instance.StartedAt;

        private static bool TryEncode(Instant? value, out long nanoseconds)
        {
            if (value is not { } instant)
            {
                nanoseconds = None;
                return true;
            }

            var sinceEpoch = instant - NodaConstants.UnixEpoch;
            if (sinceEpoch < Earliest || sinceEpoch > Latest)
            {
                nanoseconds = 0;
                return false;
            }

            nanoseconds = sinceEpoch.ToInt64Nanoseconds();
            return true;
        }

        private static Instant? Decode(long nanoseconds) =>
            nanoseconds == None ? null : NodaConstants.UnixEpoch + Duration.FromNanoseconds(nanoseconds);
    }
}
