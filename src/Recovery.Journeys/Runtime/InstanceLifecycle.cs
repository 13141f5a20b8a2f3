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
/// (trigger) ──Refuse──▶ Exited (an exit remembered for its key, or a stale trigger: it never entered)
/// </code>
/// Claiming (Due → Running) is the store's; releasing a claim unchanged (host stopping, claim lost) returns to Due.
/// An instance that ends in a journey with exit actions (<c>OnExit</c>) keeps a wake-up, now, and its first exit
/// action as next step: its final state is set, and the actions run one after the other (<see cref="AfterExitAction"/>).
/// </remarks>
internal static class InstanceLifecycle
{
    /// <summary>A new instance, waiting for its first step; in a journey with a holdout, assigned to its group.</summary>
    public static JourneyTransition Enter(JourneyDefinition journey, JourneyInstance created, Instant now)
    {
        var (firstStepId, dueAt) = FirstStep(journey, created.TimeZone, now);
        return Entered(journey, created with { Status = JourneyStatus.Active, StartedAt = now, NextStepId = firstStepId, WakeUpAt = dueAt, StepDueAt = dueAt }, now);
    }

    /// <summary>The first step of a new instance and when it is due, for an instance made waiting for it (see <see cref="Entered"/>).</summary>
    public static (string StepId, Instant DueAt) FirstStep(JourneyDefinition journey, string? timeZone, Instant now)
    {
        var first = journey.Steps[0];
        return (first.Id, first.Timing.DueAt(now, previousStepAt: null, ZoneOf(timeZone)));
    }

    /// <summary>
    /// <see cref="Enter"/> for an instance made active, started at <paramref name="now"/> and waiting for its first step
    /// (<see cref="FirstStep"/>): the same transition, without a copy of the instance.
    /// </summary>
    public static JourneyTransition Entered(JourneyDefinition journey, JourneyInstance waiting, Instant now)
    {
        var entered = new JourneyRecord(waiting.Id, journey.Name, now, JourneyRecordKind.Entered);
        if (journey.HoldoutPercent == 0)
        {
            return new JourneyTransition(waiting, [entered]);
        }

        var group = Holdout.Contains(journey.Name, journey.HoldoutPercent, waiting.CustomerId ?? waiting.CorrelationKey) ? Holdout.HoldoutGroup : Holdout.JourneyGroup;
        var assigned = new JourneyRecord(waiting.Id, journey.Name, now, JourneyRecordKind.Assigned) { Channel = Holdout.Name, Detail = group };
        return new JourneyTransition(waiting with { Variables = waiting.Variables.SetItem(Holdout.Variable, group) }, [entered, assigned]);
    }

    /// <summary>A trigger that does not enter (an exit remembered for its key, a stale trigger): an instance that ended before it began, for the record.</summary>
    public static JourneyTransition Refuse(JourneyInstance created, Instant now, string reason)
    {
        var refused = created with { Status = JourneyStatus.Exited, StartedAt = now, EndedAt = now, EndReason = reason, NextStepId = null, WakeUpAt = null, StepDueAt = null };
        return new JourneyTransition(refused, [new JourneyRecord(created.Id, created.JourneyName, now, JourneyRecordKind.Refused) { Detail = reason }]);
    }

    /// <summary>
    /// After a step ran: the same step again at a later instant (a retry, a deferral, a wait begun), the next step,
    /// listening after the last one, or failed (a step failed in a journey that stops on failure).
    /// </summary>
    public static JourneyTransition AfterStep(JourneyDefinition journey, JourneyInstance instance, JourneyStep step, StepResult result, Instant now)
    {
        if (instance.IsRunningExitActions)
        {
            return AfterExitAction(instance, step, result, now);
        }

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

        if (result.EndsJourney is { } goal)
        {
            var moved = instance with { LastSentStepId = lastSentStepId, LastSentAt = lastSentAt, LastSentChannel = lastSentChannel, Variables = variables };
            return goal.AsConversion
                ? Convert(journey, moved, now, goal.Reason, value: null, records)
                : End(journey, moved, now, JourneyStatus.Exited, goal.Reason, value: null, records);
        }

        var next = (result.Branches ? result.NextStepId : step.NextStepId) is { } nextId ? journey.FindStep(nextId) : null;
        var failed = result.Failed && journey.StepFailurePolicy == StepFailurePolicy.Exit;

        // One copy of the instance per step, also after the last step when the instance listens for its goal (what
        // Listen would do, without a second copy): the hot path of a large run allocates little else.
        var listens = next is null && !failed && ListensForGoal(journey);
        var wakeUpAt = next is not null && !failed ? next.Timing.DueAt(instance.StartedAt, now, ZoneOf(instance))
            : listens ? now + journey.AttributionWindow
            : instance.WakeUpAt;
        var nextStepId = failed ? instance.NextStepId : next?.Id;
        var stepDueAt = listens ? null : wakeUpAt;
        var ran = instance.Stepped(now, lastSentStepId, lastSentAt, lastSentChannel, nextStepId, wakeUpAt, stepDueAt);
        if (!ReferenceEquals(variables, instance.Variables))
        {
            // A step that assigned a variable (an experiment's variant, a coupon's code): rare, so a second copy.
            ran = ran with { Variables = variables };
        }
        return failed ? Fail(journey, ran, now, $"step '{step.Id}' failed", records)
            : next is null && !listens ? End(journey, ran, now, JourneyStatus.Completed, "completed", value: null, records)
            : new JourneyTransition(ran, records);
    }

    /// <summary>An exit action ran (or will run again: a retry): the next one is due at once, or nothing is left.</summary>
    public static JourneyTransition AfterExitAction(JourneyInstance ended, JourneyStep step, StepResult result, Instant now)
    {
        var records = result.Deliveries.Select(d => new JourneyRecord(ended.Id, ended.JourneyName, now, d.Kind) { StepId = step.Id, Channel = d.Channel, Detail = d.Detail }).ToList();
        var variables = result.Apply(ended.Variables);
        if (result.RunAgainAt is { } runAgainAt)
        {
            return new JourneyTransition(ended with { WakeUpAt = Instant.Max(runAgainAt, now), StepAttempt = result.NextAttempt, StepProgress = result.Progress, Variables = variables }, records);
        }

        var next = step.NextStepId;
        return new JourneyTransition(
            ended with { NextStepId = next, WakeUpAt = next is null ? null : now, StepDueAt = next is null ? null : now, StepAttempt = 0, StepProgress = null, Variables = variables },
            records);
    }

    /// <summary>The exit actions of an ended instance cannot run (its journey version is gone): they are dropped, with the reason.</summary>
    public static JourneyTransition AbandonExitActions(JourneyInstance ended, Instant now, string reason) =>
        new(
            ended with { NextStepId = null, WakeUpAt = null, StepDueAt = null, StepAttempt = 0, StepProgress = null },
            [new JourneyRecord(ended.Id, ended.JourneyName, now, JourneyRecordKind.Failed) { StepId = ended.NextStepId, Detail = $"exit actions not run: {reason}" }]);

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

        var dueAt = next.Timing.DueAt(instance.StartedAt, now, ZoneOf(instance));
        var moved = instance with { NextStepId = next.Id, WakeUpAt = dueAt, StepDueAt = dueAt, StepAttempt = 0, StepProgress = null };
        return new JourneyTransition(moved, records);
    }

    /// <summary>
    /// After its last step an instance stays active, with no next step, for the attribution window: a goal event in that
    /// time still converts it, and nothing can be sent since there is nothing left to run. A journey without a goal
    /// (no exit that is a conversion) has nothing to listen for and completes at once.
    /// </summary>
    public static JourneyTransition Listen(JourneyDefinition journey, JourneyInstance instance, Instant now, IReadOnlyList<JourneyRecord> records) =>
        ListensForGoal(journey)
            ? new(instance with { NextStepId = null, WakeUpAt = now + journey.AttributionWindow, StepDueAt = null, StepAttempt = 0, StepProgress = null }, records)
            : End(journey, instance, now, JourneyStatus.Completed, "completed", value: null, records);

    /// <summary>The attribution window after the last step ended without the goal event.</summary>
    public static JourneyTransition Complete(JourneyDefinition journey, JourneyInstance listening, Instant now)
    {
        Require(listening.IsListening, listening, "complete", "it is not listening after its last step");
        return End(journey, listening, now, JourneyStatus.Completed, "completed", value: null);
    }

    /// <summary>
    /// Ends the instance as converted. The conversion record names the last step sent and its channel when the
    /// conversion came at most the attribution window after that send; otherwise none (a conversion of the journey that
    /// no message earned).
    /// </summary>
    public static JourneyTransition Convert(JourneyDefinition journey, JourneyInstance instance, Instant now, string reason, decimal? value, IReadOnlyList<JourneyRecord>? stepRecords = null)
    {
        if (instance.LastSentStepId is null)
        {
            return End(journey, instance, now, JourneyStatus.Converted, reason, value, stepRecords);
        }

        // An instance started before sends were timed has no instant: it is attributed as it always was. The end's
        // entry is made attributed (or not) at once, rather than made and copied.
        return instance.LastSentAt is { } sentAt && now - sentAt > journey.AttributionWindow
            ? End(journey, instance, now, JourneyStatus.Converted, reason, value, stepRecords, endDetail: $"{reason}, {DurationText.Format(now - sentAt)} after the last message: outside the attribution window of {DurationText.Format(journey.AttributionWindow)}")
            : End(journey, instance, now, JourneyStatus.Converted, reason, value, stepRecords, endStepId: instance.LastSentStepId, endChannel: instance.LastSentChannel);
    }

    /// <summary>Ends the instance early: an exit event that is not the goal, a restart, a newer journey of the customer.</summary>
    public static JourneyTransition Exit(JourneyDefinition journey, JourneyInstance instance, Instant now, string reason, decimal? value = null) =>
        End(journey, instance, now, JourneyStatus.Exited, reason, value);

    /// <summary>Ends the instance because it cannot go on; <paramref name="journey"/> is <see langword="null"/> when its version is gone (no exit actions then).</summary>
    public static JourneyTransition Fail(JourneyDefinition? journey, JourneyInstance instance, Instant now, string reason, IReadOnlyList<JourneyRecord>? stepRecords = null) =>
        End(journey, instance, now, JourneyStatus.Failed, reason, value: null, stepRecords);

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
        return new JourneyTransition(active with { LastStepAt = now, WakeUpAt = now + waited, StepDueAt = now + waited }, [record]);
    }

    /// <summary>Records a trigger that the re-entry policy ignores, leaving the instance as it is.</summary>
    public static JourneyTransition IgnoreReentry(JourneyInstance active, Type eventType, Instant now) =>
        new(active, [new JourneyRecord(active.Id, active.JourneyName, now, JourneyRecordKind.ReentryIgnored) { Detail = eventType.Name }]);

    /// <summary>The customer's time zone an instance keeps for its local-time steps.</summary>
    public static DateTimeZone ZoneOf(JourneyInstance instance) => ZoneOf(instance.TimeZone);

    private static DateTimeZone ZoneOf(string? timeZone) =>
        timeZone is { } id ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) ?? DateTimeZone.Utc : DateTimeZone.Utc;

    private static JourneyTransition End(
        JourneyDefinition? journey,
        JourneyInstance instance,
        Instant now,
        JourneyStatus status,
        string reason,
        decimal? value,
        IReadOnlyList<JourneyRecord>? stepRecords = null,
        string? endStepId = null,
        string? endChannel = null,
        string? endDetail = null)
    {
        if (!instance.IsActive)
        {
            Require(false, instance, status.ToString(), "it has already ended");
        }

        var exitAction = journey?.ExitSteps is [var first, ..] ? first.Id : null;
        var kind = status switch
        {
            JourneyStatus.Converted => JourneyRecordKind.Converted,
            JourneyStatus.Completed => JourneyRecordKind.Completed,
            _ => JourneyRecordKind.Exited,
        };
        var ended = instance with
        {
            Status = status,
            NextStepId = exitAction,
            WakeUpAt = exitAction is null ? null : now,
            StepDueAt = exitAction is null ? null : now,
            EndedAt = now,
            EndReason = reason,
            StepAttempt = 0,
            StepProgress = null,
        };
        var endRecord = new JourneyRecord(instance.Id, instance.JourneyName, now, kind)
        {
            StepId = endStepId,
            Channel = endChannel,
            Detail = endDetail ?? reason,
            Value = value,
        };
        return new JourneyTransition(ended, stepRecords is null ? [endRecord] : [.. stepRecords, endRecord]);
    }

    /// <summary>Whether the journey has a goal (an exit that is a conversion) to listen for after its last step.</summary>
    private static bool ListensForGoal(JourneyDefinition journey)
    {
        var exits = journey.Exits;
        for (var i = 0; i < exits.Count; i++)
        {
            if (exits[i].IsConversion)
            {
                return true;
            }
        }

        return false;
    }

    private static void Require(bool allowed, JourneyInstance instance, string transition, string why)
    {
        if (!allowed)
        {
            throw new InvalidOperationException($"Journey '{instance.JourneyName}' instance {instance.Id} cannot {transition.ToLowerInvariant()}: {why}.");
        }
    }
}
