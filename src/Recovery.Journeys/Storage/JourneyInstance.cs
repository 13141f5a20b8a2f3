using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using NodaTime;

namespace Recovery.Journeys.Storage;

/// <summary>
/// The state of one journey run: small and serialisable, identical in every store.
/// </summary>
/// <remarks>Immutable; the engine derives the next state with <c>with</c> expressions.</remarks>
public sealed record JourneyInstance
{
    // The optional instants are kept in 16 bytes each rather than Instant?'s 24 (see OptionalInstant); the fields a
    // waiting journey leaves at their defaults are kept out of line, allocated once one is set (see JourneyInstanceDetails),
    // when it last stepped and what it last sent apart from the others, since every step changes them (see
    // JourneyInstanceLastStep).
    private readonly OptionalInstant _wakeUpAt;
    private readonly OptionalInstant _stepDueAt;
    private JourneyInstanceDetails? _details;
    private JourneyInstanceLastStep? _lastStep;

    /// <summary>Creates an instance; set its properties with an object initializer.</summary>
    public JourneyInstance()
    {
    }

    [SetsRequiredMembers]
    private JourneyInstance(JourneyInstance original)
    {
        _wakeUpAt = original._wakeUpAt;
        _stepDueAt = original._stepDueAt;
        Id = original.Id;
        JourneyName = original.JourneyName;
        JourneyVersion = original.JourneyVersion;
        CorrelationKey = original.CorrelationKey;
        CustomerId = original.CustomerId;
        TimeZone = original.TimeZone;
        Trigger = original.Trigger;
        StartedAt = original.StartedAt;
        Status = original.Status;
        NextStepId = original.NextStepId;

        // Both instances hold the details now: the copy's first write copies them (see Write).
        _details = original._details;
        _details?.Shared = true;
        _lastStep = original._lastStep;
        _lastStep?.Shared = true;
    }

    /// <summary>
    /// An instance of the given fields, set as they are: what an object initializer or a <c>with</c> expression makes
    /// of them, without each setter's comparison and copy. A step makes two instances (the claim's, read from the
    /// in-memory store's values, and the one it commits), so both are made here.
    /// </summary>
    /// <param name="id">The instance's id; <paramref name="journeyName"/> to <paramref name="startedAt"/> are its other fields no step changes.</param>
    /// <param name="journeyName">The journey's name.</param>
    /// <param name="journeyVersion">The journey's version.</param>
    /// <param name="correlationKey">The correlation key.</param>
    /// <param name="customerId">The customer, if any.</param>
    /// <param name="timeZone">The customer's time zone, if known.</param>
    /// <param name="trigger">The event that started the instance.</param>
    /// <param name="startedAt">When it started.</param>
    /// <param name="status">The status.</param>
    /// <param name="nextStepId">The next step.</param>
    /// <param name="wakeUpAt">The wake-up.</param>
    /// <param name="stepDueAt">When the next step first fell due.</param>
    /// <param name="details">The rarely set fields, shared with whoever else holds them (never written again); <see langword="null"/> for none.</param>
    /// <param name="lastStepAt">When the last step ran.</param>
    /// <param name="lastSentStepId">The last step that sent a message.</param>
    /// <param name="lastSentAt">When the last message was sent.</param>
    /// <param name="lastSentChannel">The channel(s) of the last message.</param>
    [SetsRequiredMembers]
    internal JourneyInstance(
        JourneyInstanceId id,
        string journeyName,
        int journeyVersion,
        string correlationKey,
        string? customerId,
        string? timeZone,
        StoredEvent trigger,
        Instant startedAt,
        JourneyStatus status,
        string? nextStepId,
        Instant? wakeUpAt,
        Instant? stepDueAt,
        JourneyInstanceDetails? details,
        Instant? lastStepAt,
        string? lastSentStepId,
        Instant? lastSentAt,
        string? lastSentChannel)
    {
        Id = id;
        JourneyName = journeyName;
        JourneyVersion = journeyVersion;
        CorrelationKey = correlationKey;
        CustomerId = customerId;
        TimeZone = timeZone;
        Trigger = trigger;
        StartedAt = startedAt;
        Status = status;
        NextStepId = nextStepId;
        _wakeUpAt = OptionalInstant.From(wakeUpAt);
        _stepDueAt = OptionalInstant.From(stepDueAt);
        _details = details is null || details.IsEmpty ? null : details;
        _details?.Shared = true;
        _lastStep = LastStepOf(lastStepAt, lastSentStepId, lastSentAt, lastSentChannel);
    }

    internal JourneyInstance Stepped(Instant lastStepAt, string? lastSentStepId, Instant? lastSentAt, string? lastSentChannel, string? nextStepId, Instant? wakeUpAt, Instant? stepDueAt) =>
        _details is null || (_details.StepAttempt == 0 && _details.StepProgress is null)
            ? new(Id, JourneyName, JourneyVersion, CorrelationKey, CustomerId, TimeZone, Trigger, StartedAt, Status, nextStepId, wakeUpAt, stepDueAt, _details, lastStepAt, lastSentStepId, lastSentAt, lastSentChannel)
            : this with
            {
                LastStepAt = lastStepAt,
                LastSentStepId = lastSentStepId,
                LastSentAt = lastSentAt,
                LastSentChannel = lastSentChannel,
                StepAttempt = 0,
                StepProgress = null,
                NextStepId = nextStepId,
                WakeUpAt = wakeUpAt,
                StepDueAt = stepDueAt,
            };

    private static JourneyInstanceLastStep? LastStepOf(Instant? at, string? sentStepId, Instant? sentAt, string? sentChannel) =>
        at is null && sentStepId is null && sentAt is null && sentChannel is null
            ? null
            : new JourneyInstanceLastStep { At = OptionalInstant.From(at), SentStepId = sentStepId, SentAt = OptionalInstant.From(sentAt), SentChannel = sentChannel };

    /// <summary>The instance's id.</summary>
    public required JourneyInstanceId Id { get; init; }

    /// <summary>The journey's name.</summary>
    public required string JourneyName { get; init; }

    /// <summary>The journey definition version the instance started with and keeps running.</summary>
    public required int JourneyVersion { get; init; }

    /// <summary>The key events are routed by (an order id, a cart id). One active instance per journey and key.</summary>
    public required string CorrelationKey { get; init; }

    /// <summary>The customer's id, when the journey names one.</summary>
    public string? CustomerId { get; init; }

    /// <summary>The customer's tzdb time zone when the instance started (or the journey's default), for local-time steps; <see langword="null"/> for UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>The event that started the instance.</summary>
    public required StoredEvent Trigger { get; init; }

    /// <summary>When the instance started (the trigger's arrival).</summary>
    public required Instant StartedAt { get; init; }

    /// <summary>Where the instance stands.</summary>
    public JourneyStatus Status { get; init; }

    /// <summary>
    /// The step to run at <see cref="WakeUpAt"/>; <see langword="null"/> while listening after the last step, and once
    /// ended (but for an exit action still to run).
    /// </summary>
    public string? NextStepId { get; init; }

    /// <summary>
    /// When the next step is due (while listening: when the attribution window ends; once ended: now, while exit
    /// actions remain); <see langword="null"/> when nothing is left to run.
    /// </summary>
    public Instant? WakeUpAt { get => _wakeUpAt.Value; init => _wakeUpAt = OptionalInstant.From(value); }

    /// <summary>
    /// When the next step first fell due, before any retry or deferral moved <see cref="WakeUpAt"/>: how late a step is
    /// (<c>SkipIfLaterThan</c>) is measured from it. <see langword="null"/> for an instance stored before it was kept.
    /// </summary>
    public Instant? StepDueAt { get => _stepDueAt.Value; init => _stepDueAt = OptionalInstant.From(value); }

    /// <summary>How many times the next step has failed transiently and been rescheduled; 0 for a first try.</summary>
    public int StepAttempt
    {
        get => _details?.StepAttempt ?? 0;
        init
        {
            if (value != StepAttempt)
            {
                Write().StepAttempt = value;
                Settle();
            }
        }
    }

    /// <summary>Where a step with several channels stands between retries (which channels are done); <see langword="null"/> otherwise.</summary>
    public string? StepProgress
    {
        get => _details?.StepProgress;
        init
        {
            if (!string.Equals(value, StepProgress, StringComparison.Ordinal))
            {
                Write().StepProgress = value;
                Settle();
            }
        }
    }

    /// <summary>When the previous step ran, the anchor of <c>After(...)</c>; <see langword="null"/> before the first.</summary>
    public Instant? LastStepAt
    {
        get => _lastStep?.At.Value;
        init
        {
            var kept = OptionalInstant.From(value);
            if (kept != (_lastStep?.At ?? default))
            {
                WriteLastStep().At = kept;
                SettleLastStep();
            }
        }
    }

    /// <summary>The last step that sent a message, to which a conversion is attributed.</summary>
    public string? LastSentStepId
    {
        get => _lastStep?.SentStepId;
        init
        {
            if (!string.Equals(value, LastSentStepId, StringComparison.Ordinal))
            {
                WriteLastStep().SentStepId = value;
                SettleLastStep();
            }
        }
    }

    /// <summary>When the last message was sent, the start of the attribution window; <see langword="null"/> before any.</summary>
    public Instant? LastSentAt
    {
        get => _lastStep?.SentAt.Value;
        init
        {
            var kept = OptionalInstant.From(value);
            if (kept != (_lastStep?.SentAt ?? default))
            {
                WriteLastStep().SentAt = kept;
                SettleLastStep();
            }
        }
    }

    /// <summary>The channel(s) of the last message sent (<c>push</c>, or <c>push+web-push</c> for a fan-out).</summary>
    public string? LastSentChannel
    {
        get => _lastStep?.SentChannel;
        init
        {
            if (!string.Equals(value, LastSentChannel, StringComparison.Ordinal))
            {
                WriteLastStep().SentChannel = value;
                SettleLastStep();
            }
        }
    }

    /// <summary>When the instance ended; <see langword="null"/> while active.</summary>
    public Instant? EndedAt
    {
        get => _details?.EndedAt.Value;
        init
        {
            var kept = OptionalInstant.From(value);
            if (kept != (_details?.EndedAt ?? default))
            {
                Write().EndedAt = kept;
                Settle();
            }
        }
    }

    /// <summary>Why the instance ended, in words; <see langword="null"/> while active.</summary>
    public string? EndReason
    {
        get => _details?.EndReason;
        init
        {
            if (!string.Equals(value, EndReason, StringComparison.Ordinal))
            {
                Write().EndReason = value;
                Settle();
            }
        }
    }

    /// <summary>Small named values kept with the instance (an assigned variant, a coupon code).</summary>
    public ImmutableDictionary<string, string> Variables
    {
        get => _details?.Variables ?? ImmutableDictionary<string, string>.Empty;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (!ReferenceEquals(value, Variables))
            {
                Write().Variables = ReferenceEquals(value, ImmutableDictionary<string, string>.Empty) ? null : value;
                Settle();
            }
        }
    }

    /// <summary>Whether the instance has not ended (it waits, runs, or listens for its goal).</summary>
    public bool IsActive => Status == JourneyStatus.Active;

    /// <summary>Whether the instance has ended and still has exit actions to run (<see cref="NextStepId"/>).</summary>
    public bool IsRunningExitActions => Status != JourneyStatus.Active && NextStepId is not null;

    /// <summary>Whether the instance ran its last step and only listens for its goal event until <see cref="WakeUpAt"/>.</summary>
    public bool IsListening => Status == JourneyStatus.Active && NextStepId is null;

    /// <summary>Where the instance stands at <paramref name="now"/>, as stored (a claimed instance shows as due: see <see cref="InstanceState.Running"/>).</summary>
    /// <param name="now">The current instant.</param>
    public InstanceState StateAt(Instant now) => Status switch
    {
        JourneyStatus.Converted => InstanceState.Converted,
        JourneyStatus.Completed => InstanceState.Completed,
        JourneyStatus.Exited => InstanceState.Exited,
        JourneyStatus.Failed => InstanceState.Failed,
        _ when NextStepId is null => InstanceState.Listening,
        _ when WakeUpAt is { } due && due <= now => InstanceState.Due,
        _ => InstanceState.Waiting,
    };

    /// <summary>The details this instance may write: its own, or a copy of those it shares with the one it was copied from.</summary>
    private JourneyInstanceDetails Write() =>
        _details is { Shared: false } own ? own : _details = _details?.Copy() ?? new JourneyInstanceDetails();

    /// <summary>The last step this instance may write: its own, or a copy of the one it shares with the one it was copied from.</summary>
    private JourneyInstanceLastStep WriteLastStep() =>
        _lastStep is { Shared: false } own ? own : _lastStep = _lastStep?.Copy() ?? new JourneyInstanceLastStep();

    /// <summary>Drops a last step left at its defaults, so that equal instances hold equal fields.</summary>
    private void SettleLastStep()
    {
        if (_lastStep is { IsEmpty: true })
        {
            _lastStep = null;
        }
    }

    /// <summary>Drops details left at their defaults, so that equal instances hold equal fields.</summary>
    private void Settle()
    {
        if (_details is { IsEmpty: true })
        {
            _details = null;
        }
    }
}
