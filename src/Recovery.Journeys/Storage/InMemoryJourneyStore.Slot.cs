using System.Collections.Immutable;
using NodaTime;

namespace Recovery.Journeys.Storage;

// A stored instance as a value in the store's slab: no object of its own, and a step writes values, not references.
public sealed partial class InMemoryJourneyStore
{
    /// <summary>
    /// One instance with its timeline and its claim, a value in the store's slab (<see cref="Slab"/>). The fields every
    /// step changes (status, next step, wake-up, when the step fell due, when the last step ran, what it last sent) are
    /// kept here as values, and those few instances set (a retry's attempt and progress, the end, named values) in one
    /// object when set; everything else (id, journey, key, customer, trigger, start) is read from <see cref="Base"/>, the
    /// instance as first stored. A step thus writes no reference to a new object into an old one, and keeps none of the
    /// objects it made, and an ended instance keeps one object more, not three: the instance a reader gets is made from
    /// the slot when read (<see cref="Instance"/>), equal to the one written.
    /// </summary>
    private partial struct Slot
    {
        // Stands for the Entered entry that the instance implies (its id, journey and start, nothing else): most
        // instances wait with that one entry, which is then kept as no object at all and written out when read.
        private static readonly JourneyRecord ImpliedEntered = new(default, string.Empty, Instant.MinValue, JourneyRecordKind.Entered);

        // An instant as nanoseconds since the Unix epoch (1678 to 2262): none is long.MinValue; any other instant
        // makes the slot keep its instance whole (Whole).
        private const long None = long.MinValue;
        private static readonly Duration Earliest = Duration.FromNanoseconds(long.MinValue + 1);
        private static readonly Duration Latest = Duration.FromNanoseconds(long.MaxValue);

        // Base is the instance itself (no value differs from it).
        private const byte Current = 1;

        // Base is the instance itself and the values below are not kept (an instant out of their range).
        private const byte Whole = 2;

        private JourneyInstance? _base;

        // The fields of an instance that waits, runs and listens at their defaults (null then), kept apart from the
        // instance as JourneyInstance itself keeps them; never changed once stored, replaced when they change.
        private JourneyInstanceDetails? _rare;

        // The timeline: null when empty, one JourneyRecord (possibly ImpliedEntered), or an array of slots, a value
        // each (TimelineSlot), filled from the front, its unused slots zero: appended in place until full, then grown.
        private object? _timeline;
        private string? _nextStepId;
        private string? _lastSentStepId;
        private string? _lastSentChannel;
        private long _wakeUpAt;
        private long _stepDueAt;
        private long _lastStepAt;
        private long _lastSentAt;
        private byte _status;
        private byte _flags;

        /// <summary>The claim holding the instance (a number of the store's), 0 when none.</summary>
        public int Holder;

        /// <summary>The order instances were stored in.</summary>
        public long Sequence;

        /// <summary>Whether the slot is free (no instance).</summary>
        public readonly bool IsFree => _base is null;

        public readonly bool Claimed => Holder != 0;

        /// <summary>The instance's fields that never change (id, journey, key, customer, trigger, start).</summary>
        public readonly JourneyInstance Base => _base!;

        public readonly JourneyStatus Status => (_flags & Whole) != 0 ? _base!.Status : (JourneyStatus)_status;

        public readonly bool IsActive => Status == JourneyStatus.Active;

        public readonly string? NextStepId => (_flags & Whole) != 0 ? _base!.NextStepId : _nextStepId;

        public readonly Instant? WakeUpAt => (_flags & Whole) != 0 ? _base!.WakeUpAt : Decode(_wakeUpAt);

        public readonly Instant? EndedAt => _rare?.EndedAt.Value;

        private readonly Instant? LastSentAt => (_flags & Whole) != 0 ? _base!.LastSentAt : Decode(_lastSentAt);

        private readonly string? LastSentStepId => (_flags & Whole) != 0 ? _base!.LastSentStepId : _lastSentStepId;

        private readonly string? LastSentChannel => (_flags & Whole) != 0 ? _base!.LastSentChannel : _lastSentChannel;

        private readonly string? EndReason => _rare?.EndReason;

        /// <summary>The instance as last written (equal to it: made anew when it changed since it was first stored).</summary>
        public readonly JourneyInstance Instance => (_flags & Current) != 0
            ? _base!
            : JourneyInstance.Of(
                _base!,
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
            _base = instance;
            _rare = RareOf(instance, null);
            _flags = Keep(instance) ? Current : (byte)(Current | Whole);
        }

        public void Free() => this = default;

        /// <summary>Stores <paramref name="instance"/> (the same instance, by id): as values, but for what no step changes.</summary>
        public void Set(JourneyInstance instance)
        {
            KeepImpliedSentFor(instance);
            var kept = Keep(instance);
            var same = SameBase(_base!, instance);
            KeepTimelineFor(instance, all: !same);
            _rare = RareOf(instance, _rare);
            if (!kept || !same)
            {
                // Never for an instance the runtime moves: an instant out of range, or a field no transition changes.
                _base = instance;
                _flags = kept ? Current : (byte)(Current | Whole);
                return;
            }

            // The instance as first stored written again (values as they were then): no need to make a new one.
            _flags = ReferenceEquals(instance, _base) ? Current : (byte)0;
        }

        /// <summary>Keeps the values of a step's fields; false when an instant is out of their range (the slot keeps its instance whole).</summary>
        private bool Keep(JourneyInstance instance)
        {
            if (!TryEncode(instance.WakeUpAt, out var wakeUpAt)
                || !TryEncode(instance.StepDueAt, out var stepDueAt)
                || !TryEncode(instance.LastStepAt, out var lastStepAt)
                || !TryEncode(instance.LastSentAt, out var lastSentAt)
                || (uint)instance.Status > byte.MaxValue)
            {
                return false;
            }

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

        /// <summary>Whether every field that no step changes is that of <paramref name="kept"/>.</summary>
        private static bool SameBase(JourneyInstance kept, JourneyInstance instance) =>
            kept.Id == instance.Id
            && string.Equals(kept.JourneyName, instance.JourneyName, StringComparison.Ordinal)
            && kept.JourneyVersion == instance.JourneyVersion
            && string.Equals(kept.CorrelationKey, instance.CorrelationKey, StringComparison.Ordinal)
            && string.Equals(kept.CustomerId, instance.CustomerId, StringComparison.Ordinal)
            && string.Equals(kept.TimeZone, instance.TimeZone, StringComparison.Ordinal)
            && ReferenceEquals(kept.Trigger, instance.Trigger)
            && kept.StartedAt == instance.StartedAt;

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
