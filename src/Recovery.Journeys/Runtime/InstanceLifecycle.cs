using NodaTime;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Runtime.Steps;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Runtime;

/// <summary>
/// The life of a journey instance: every transition between its states (<see cref="InstanceState"/>), in one place.
/// Each transition is a pure function from the instance's state (and what happened) to its next state and the
/// timeline entries that explain it, which the store then commits atomically.
/// </summary>
/// <remarks>
/// <code>
/// (trigger) ──Enter──▶ Waiting ──(due)──▶ Due ──(claim)──▶ Running
/// Running ──AfterStep──▶ Waiting (next step, or the same step again: retry, deferral, wait)
///                      │ Listening (last step ran; listens for the goal for the attribution window)
///                      │ Completed (last step ran, no goal to listen for) │ Failed (a step failed, policy Exit)
/// Listening ──Complete──▶ Completed (the window ended)
/// any active ──Convert──▶ Converted (goal event) │ ──Exit──▶ Exited (exit event, restart, newer journey)
/// Waiting (on a wait step) ──Resume──▶ Waiting (the event's path) │ Waiting ──RestartWait──▶ Waiting (later)
/// </code>
/// Claiming (Due → Running) is the store's; releasing a claim unchanged (host stopping, claim lost) returns to Due.
/// </remarks>
internal static class InstanceLifecycle
{
    /// <summary>A new instance, waiting for its first step; in a journey with a holdout, assigned to its group.</summary>
    public static JourneyTransition Enter(JourneyDefinition journey, JourneyInstance created, Instant now)
    {
        var first = journey.Steps[0];
        var instance = created with
        {
            Status = JourneyStatus.Active,
            StartedAt = now,
            NextStepId = first.Id,
            WakeUpAt = first.Timing.DueAt(now, previousStepAt: null, ZoneOf(created)),
        };
        var entered = new JourneyRecord(instance.Id, journey.Name, now, JourneyRecordKind.Entered);
        if (journey.HoldoutPercent == 0)
        {
            return new JourneyTransition(instance, [entered]);
        }

        var group = Holdout.Contains(journey.Name, journey.HoldoutPercent, instance.CustomerId ?? instance.CorrelationKey) ? Holdout.HoldoutGroup : Holdout.JourneyGroup;
        var assigned = new JourneyRecord(instance.Id, journey.Name, now, JourneyRecordKind.Assigned) { Channel = Holdout.Name, Detail = group };
        return new JourneyTransition(instance with { Variables = instance.Variables.SetItem(Holdout.Variable, group) }, [entered, assigned]);
    }

    /// <summary>
    /// After a step ran: the same step again at a later instant (a retry, a deferral, a wait begun), the next step,
    /// listening after the last one, or failed (a step failed in a journey that stops on failure).
    /// </summary>
    public static JourneyTransition AfterStep(JourneyDefinition journey, JourneyInstance instance, JourneyStep step, StepResult result, Instant now)
    {
        var deliveries = result.Deliveries;
        var records = new JourneyRecord[deliveries.Count];
        string? sentOn = null;
        for (var i = 0; i < deliveries.Count; i++)
        {
            var d = deliveries[i];
            records[i] = new JourneyRecord(instance.Id, instance.JourneyName, now, d.Kind) { StepId = step.Id, Channel = d.Channel, Detail = d.Detail };
            if (d.Kind == JourneyRecordKind.Sent && step.SendsMessages)
            {
                sentOn = sentOn is null ? d.Channel : $"{sentOn}+{d.Channel}";
            }
        }

        var lastSentStepId = sentOn is null ? instance.LastSentStepId : step.Id;
        var lastSentAt = sentOn is null ? instance.LastSentAt : now;
        var lastSentChannel = sentOn ?? instance.LastSentChannel;
        var variables = result.Apply(instance.Variables);
        if (result.RunAgainAt is { } runAgainAt)
        {
            var again = instance with
            {
                WakeUpAt = Instant.Max(runAgainAt, now),
                StepAttempt = result.NextAttempt,
                StepProgress = result.Progress,
                LastSentStepId = lastSentStepId,
                LastSentAt = lastSentAt,
                LastSentChannel = lastSentChannel,
                Variables = variables,
            };
            return new JourneyTransition(again, records);
        }

        var next = (result.Branches ? result.NextStepId : step.NextStepId) is { } nextId ? journey.FindStep(nextId) : null;
        var failed = result.Failed && journey.StepFailurePolicy == StepFailurePolicy.Exit;

        // One copy of the instance per step: the hot path of a large run allocates little else.
        var ran = instance with
        {
            LastStepAt = now,
            LastSentStepId = lastSentStepId,
            LastSentAt = lastSentAt,
            LastSentChannel = lastSentChannel,
            Variables = variables,
            StepAttempt = 0,
            StepProgress = null,
            NextStepId = failed ? instance.NextStepId : next?.Id,
            WakeUpAt = next is null || failed ? instance.WakeUpAt : next.Timing.DueAt(instance.StartedAt, now, ZoneOf(instance)),
        };
        return failed ? Fail(ran, now, $"step '{step.Id}' failed", records)
            : next is null ? Listen(journey, ran, now, records)
            : new JourneyTransition(ran, records);
    }

    /// <summary>
    /// Points the instance at the given step, due by that step's timing from now; without one, the instance listens
    /// for its goal for the attribution window, then completes.
    /// </summary>
    public static JourneyTransition MoveTo(JourneyDefinition journey, JourneyInstance instance, string? nextStepId, Instant now, IReadOnlyList<JourneyRecord> records)
    {
        var next = nextStepId is null ? null : journey.FindStep(nextStepId);
        if (next is null)
        {
            return Listen(journey, instance, now, records);
        }

        var moved = instance with { NextStepId = next.Id, WakeUpAt = next.Timing.DueAt(instance.StartedAt, now, ZoneOf(instance)), StepAttempt = 0, StepProgress = null };
        return new JourneyTransition(moved, records);
    }

    /// <summary>
    /// After its last step an instance stays active, with no next step, for the attribution window: a goal event in that
    /// time still converts it, and nothing can be sent since there is nothing left to run. A journey without a goal
    /// (no exit that is a conversion) has nothing to listen for and completes at once.
    /// </summary>
    public static JourneyTransition Listen(JourneyDefinition journey, JourneyInstance instance, Instant now, IReadOnlyList<JourneyRecord> records) =>
        journey.Exits.Any(e => e.IsConversion)
            ? new(instance with { NextStepId = null, WakeUpAt = now + journey.AttributionWindow, StepAttempt = 0, StepProgress = null }, records)
            : End(instance, now, JourneyStatus.Completed, "completed", value: null, records);

    /// <summary>The attribution window after the last step ended without the goal event.</summary>
    public static JourneyTransition Complete(JourneyInstance listening, Instant now)
    {
        Require(listening.IsListening, listening, "complete", "it is not listening after its last step");
        return End(listening, now, JourneyStatus.Completed, "completed", value: null);
    }

    /// <summary>
    /// Ends the instance as converted. The conversion record names the last step sent and its channel when the
    /// conversion came at most the attribution window after that send; otherwise none (a conversion of the journey that
    /// no message earned).
    /// </summary>
    public static JourneyTransition Convert(JourneyDefinition journey, JourneyInstance instance, Instant now, string reason, decimal? value)
    {
        var ended = End(instance, now, JourneyStatus.Converted, reason, value);
        if (instance.LastSentStepId is null)
        {
            return ended;
        }

        // An instance started before sends were timed has no instant: it is attributed as it always was.
        var record = ended.Records[^1];
        record = instance.LastSentAt is { } sentAt && now - sentAt > journey.AttributionWindow
            ? record with { Detail = $"{reason}, {DurationText.Format(now - sentAt)} after the last message: outside the attribution window of {DurationText.Format(journey.AttributionWindow)}" }
            : record with { StepId = instance.LastSentStepId, Channel = instance.LastSentChannel };
        return new JourneyTransition(ended.Instance, [record]);
    }

    /// <summary>Ends the instance early: an exit event that is not the goal, a restart, a newer journey of the customer.</summary>
    public static JourneyTransition Exit(JourneyInstance instance, Instant now, string reason, decimal? value = null) =>
        End(instance, now, JourneyStatus.Exited, reason, value);

    /// <summary>Ends the instance because it cannot go on.</summary>
    public static JourneyTransition Fail(JourneyInstance instance, Instant now, string reason, IReadOnlyList<JourneyRecord>? stepRecords = null) =>
        End(instance, now, JourneyStatus.Failed, reason, value: null, stepRecords);

    /// <summary>Moves an instance waiting for this event at the rule's step on to the event's path, timed from now; <see langword="null"/> when it does not wait for it.</summary>
    public static JourneyTransition? Resume(JourneyDefinition journey, KeyedEventRule rule, JourneyInstance active, Type eventType, Instant now)
    {
        if (active.JourneyVersion != journey.Version || active.NextStepId != rule.StepId || active.StepProgress != WaitStep.Waiting
            || journey.FindStep(rule.StepId!) is not WaitStep wait)
        {
            return null;
        }

        var record = new JourneyRecord(active.Id, active.JourneyName, now, JourneyRecordKind.Resumed) { StepId = wait.Id, Channel = WaitStep.Channel, Detail = eventType.Name };
        var moved = active with { LastStepAt = now, StepAttempt = 0, StepProgress = null };
        return MoveTo(journey, moved, wait.OnEventStepId, now, [record]);
    }

    /// <summary>Starts the wait before the instance's next step over from now (debounce); leaves retries, event waits and listening alone.</summary>
    public static JourneyTransition? RestartWait(JourneyDefinition journey, JourneyInstance active, Type eventType, Instant now)
    {
        if (active.JourneyVersion != journey.Version || active.StepAttempt != 0 || active.StepProgress is not null || active.WakeUpAt is not { } wakeUpAt
            || active.IsListening)
        {
            return null;
        }

        var waited = wakeUpAt - (active.LastStepAt ?? active.StartedAt);
        var record = new JourneyRecord(active.Id, active.JourneyName, now, JourneyRecordKind.WaitRestarted)
        {
            StepId = active.NextStepId,
            Detail = $"{eventType.Name}: next step in {DurationText.Format(waited)}",
        };
        return new JourneyTransition(active with { LastStepAt = now, WakeUpAt = now + waited }, [record]);
    }

    /// <summary>Records a trigger that the re-entry policy ignores, leaving the instance as it is.</summary>
    public static JourneyTransition IgnoreReentry(JourneyInstance active, Type eventType, Instant now) =>
        new(active, [new JourneyRecord(active.Id, active.JourneyName, now, JourneyRecordKind.ReentryIgnored) { Detail = eventType.Name }]);

    /// <summary>The customer's time zone an instance keeps for its local-time steps.</summary>
    public static DateTimeZone ZoneOf(JourneyInstance instance) =>
        instance.TimeZone is { } id ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) ?? DateTimeZone.Utc : DateTimeZone.Utc;

    private static JourneyTransition End(JourneyInstance instance, Instant now, JourneyStatus status, string reason, decimal? value, IReadOnlyList<JourneyRecord>? stepRecords = null)
    {
        Require(instance.IsActive, instance, status.ToString(), "it has already ended");
        var kind = status switch
        {
            JourneyStatus.Converted => JourneyRecordKind.Converted,
            JourneyStatus.Completed => JourneyRecordKind.Completed,
            _ => JourneyRecordKind.Exited,
        };
        var ended = instance with { Status = status, NextStepId = null, WakeUpAt = null, EndedAt = now, EndReason = reason, StepAttempt = 0, StepProgress = null };
        var endRecord = new JourneyRecord(instance.Id, instance.JourneyName, now, kind)
        {
            Detail = reason,
            Value = value,
        };
        return new JourneyTransition(ended, stepRecords is null ? [endRecord] : [.. stepRecords, endRecord]);
    }

    private static void Require(bool allowed, JourneyInstance instance, string transition, string why)
    {
        if (!allowed)
        {
            throw new InvalidOperationException($"Journey '{instance.JourneyName}' instance {instance.Id} cannot {transition.ToLowerInvariant()}: {why}.");
        }
    }
}
