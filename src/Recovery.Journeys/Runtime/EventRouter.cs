using System.Text.Json;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Text;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Telemetry;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Runtime;

/// <summary>
/// Hands the host's events to the journeys they concern: exits end instances, awaited events resume them, activity
/// restarts their waits (debounce), triggers start them under the journey's re-entry and customer rules.
/// </summary>
internal sealed class EventRouter(
    JourneyCatalog catalog,
    IReadOnlyDictionary<JourneyDefinition, JourneyRunner> runners,
    PausedJourneys paused,
    IJourneyStore store,
    TimeProvider timeProvider,
    JourneyEngineOptions options,
    CommitEffects effects,
    ILogger logger)
{
    public async ValueTask<PublishResult> PublishAsync(object @event, CancellationToken cancellationToken)
    {
        var eventType = @event.GetType();
        var route = catalog.RouteFor(eventType);
        if (route.IsEmpty)
        {
            EngineLog.EventUnhandled(logger, eventType.Name);
            return PublishResult.Unhandled;
        }

        // Every selector runs before anything changes, so that an event one journey rejects changes no journey. The
        // matches are grouped by journey and key as they come (one exit per journey and key, whatever the versions):
        // the first group in place, a list only for a second.
        PendingExit? exit = null;
        List<PendingExit>? moreExits = null;
        for (var i = 0; i < route.Exits.Count; i++)
        {
            var (journey, rule) = route.Exits[i];
            if (Select(journey, eventType, (rule, @event), static s => (s.rule.TryMatch(s.@event, out var key, out var value), key, value)) is (true, var k, var v))
            {
                var match = new ExitMatch(journey, rule, RequireKey(journey, eventType, k), v, Select(journey, eventType, (rule, @event), static s => s.rule.OccurredAtOf(s.@event)));
                if (exit is null)
                {
                    exit = new PendingExit(match, eventType);
                }
                else if (GroupOf(exit, moreExits, match) is { } group)
                {
                    group.Add(match);
                }
                else
                {
                    (moreExits ??= []).Add(new PendingExit(match, eventType));
                }
            }
        }

        var waits = route.Waits.Count == 0 ? null : KeysOf(route.Waits, eventType, @event);
        var restarts = route.Restarts.Count == 0 ? null : KeysOf(route.Restarts, eventType, @event);

        // The first start in place (most events start one journey or none), a list only for the others.
        (JourneyDefinition? Journey, string? Key, string? CustomerId) firstStart = default; // set when startCount > 0
        List<(JourneyDefinition Journey, string Key, string? CustomerId)>? moreStarts = null;
        var startCount = 0;
        for (var i = 0; i < route.Triggers.Count; i++)
        {
            var journey = route.Triggers[i];
            if (Select(journey, eventType, (journey, @event), static s => s.journey.Accepts(s.@event)))
            {
                var key = RequireKey(journey, eventType, Select(journey, eventType, (journey, @event), static s => s.journey.CorrelationKeyOf(s.@event)));
                var customerId = Select(journey, eventType, (journey, @event), static s => s.journey.CustomerIdOf(s.@event));
                if (customerId is not null && JourneyLimits.Problem(customerId) is { } problem)
                {
                    throw new JourneyEventException(journey.Name, eventType, $"its customer id cannot be kept: {problem}");
                }

                if (startCount++ == 0)
                {
                    firstStart = (journey, key, customerId);
                }
                else
                {
                    (moreStarts ??= new(route.Triggers.Count - 1)).Add((journey, key, customerId));
                }
            }
        }

        var now = timeProvider.GetCurrentInstant();
        var outcome = default(PublishOutcome);
        // One exit per journey and key, whatever the versions: it is remembered once, and ends the active instance by
        // the rule of that instance's version.
        if (exit is not null)
        {
            if (await ExitAsync(exit, eventType, now, cancellationToken).ConfigureAwait(false) is { } ended)
            {
                outcome.Ended(ended);
            }

            for (var i = 0; i < (moreExits?.Count ?? 0); i++)
            {
                if (await ExitAsync(moreExits![i], eventType, now, cancellationToken).ConfigureAwait(false) is { } more)
                {
                    outcome.Ended(more);
                }
            }
        }

        foreach (var (journey, rule, key) in (IEnumerable<(JourneyDefinition, KeyedEventRule, string)>?)waits ?? [])
        {
            var resumed = await store.UpdateActiveAsync(journey.Name, key, ResumingOf(journey, rule, eventType, now), cancellationToken).ConfigureAwait(false);
            if (resumed is not null)
            {
                outcome.Resumed(resumed.Instance.Id);

                // The event's path may end the journey at once (an empty path at the end of a journey without a goal).
                await effects.AfterCommitAsync(resumed.Instance, wasActive: true, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var (journey, _, key) in (IEnumerable<(JourneyDefinition, KeyedEventRule, string)>?)restarts ?? [])
        {
            var restarted = await store.UpdateActiveAsync(journey.Name, key, RestartingOf(journey, eventType, now), cancellationToken).ConfigureAwait(false);
            if (restarted is not null)
            {
                outcome.WaitRestarted(restarted.Instance.Id);
                await effects.AfterCommitAsync(restarted.Instance, wasActive: true, cancellationToken).ConfigureAwait(false);
            }
        }

        if (startCount == 0)
        {
            return outcome.ToResult();
        }

        var trigger = StoredEvent.FromValue(@event, options.EventSerializerOptions);
        if (PayloadProblem(trigger) is { } payload)
        {
            throw new JourneyEventException(firstStart.Journey!.Name, eventType, payload);
        }

        // Each report is read into a local first: the outcome, a structure, is only changed between awaits.
        var report = await StartAsync(firstStart.Journey!, firstStart.Key!, firstStart.CustomerId, @event, trigger, now, cancellationToken).ConfigureAwait(false);
        outcome.Add(report);
        for (var i = 0; i < (moreStarts?.Count ?? 0); i++)
        {
            var (journey, key, customerId) = moreStarts![i];
            report = await StartAsync(journey, key, customerId, @event, trigger, now, cancellationToken).ConfigureAwait(false);
            outcome.Add(report);
        }

        return outcome.ToResult();
    }

    /// <summary>Ends the active instance of an exit's journey and key, if any: its id, or <see langword="null"/>.</summary>
    private async ValueTask<JourneyInstanceId?> ExitAsync(PendingExit exit, Type eventType, Instant now, CancellationToken cancellationToken)
    {
        exit.Now = now;
        var first = exit.First;
        var (name, key) = (first.Journey.Name, first.Key);
        var memory = (catalog.LatestOf(name) ?? first.Journey).ExitMemory;
        var at = first.OccurredAt ?? now;
        var ended = memory > Duration.Zero
            ? await store.ExitAsync(new RememberedExit(name, key, eventType.Name, at, at + memory), exit.End, cancellationToken).ConfigureAwait(false)
            : await store.UpdateActiveAsync(name, key, exit.End, cancellationToken).ConfigureAwait(false);
        if (ended is null)
        {
            return null;
        }

        await effects.AfterCommitAsync(ended.Instance, wasActive: true, cancellationToken).ConfigureAwait(false);
        return ended.Instance.Id;
    }

    /// <summary>The group of a match's journey and key among those found so far, or <see langword="null"/> for a new one.</summary>
    private static PendingExit? GroupOf(PendingExit first, List<PendingExit>? more, in ExitMatch match)
    {
        if (first.Concerns(match))
        {
            return first;
        }

        for (var i = 0; i < (more?.Count ?? 0); i++)
        {
            if (more![i].Concerns(match))
            {
                return more[i];
            }
        }

        return null;
    }

    private async ValueTask<StartReport> StartAsync(
        JourneyDefinition journey,
        string key,
        string? customerId,
        object @event,
        StoredEvent trigger,
        Instant now,
        CancellationToken cancellationToken)
    {
        var eventType = @event.GetType();
        if (await paused.OfAsync(journey.Name, cancellationToken).ConfigureAwait(false) is { AdmitsNewInstances: false } pause)
        {
            var why = $"the journey is paused (since {InstantPattern.ExtendedIso.Format(pause.PausedAt)}) and admits no new instance";
            EngineLog.StartSuppressed(logger, journey.Name, why);
            return StartReport.Of(new SuppressedStart(journey.Name, key, why));
        }

        List<JourneyInstance>? rivals = null;
        if (customerId is not null && (journey.Cooldown is not null || journey.Priority is not null || journey.LatestPerCustomer))
        {
            rivals = [];
            var customersInstances = await store.FindAsync(new JourneyInstanceQuery(CustomerId: customerId), cancellationToken).ConfigureAwait(false);
            if (WhySuppressed(journey, key, customersInstances, now, rivals) is { } reason)
            {
                EngineLog.StartSuppressed(logger, journey.Name, reason);
                return StartReport.Of(new SuppressedStart(journey.Name, key, reason));
            }
        }

        // Made waiting for its first step at once (InstanceLifecycle.Enter would copy it to get there).
        var timeZone = await runners[journey].TimeZoneAtStartAsync(@event, cancellationToken).ConfigureAwait(false);
        var (firstStepId, dueAt) = InstanceLifecycle.FirstStep(journey, timeZone, now);
        var waiting = new JourneyInstance
        {
            Id = JourneyInstanceId.New(),
            JourneyName = journey.Name,
            JourneyVersion = journey.Version,
            CorrelationKey = key,
            CustomerId = customerId,
            TimeZone = timeZone,
            Trigger = trigger,
            StartedAt = now,
            Status = JourneyStatus.Active,
            NextStepId = firstStepId,
            WakeUpAt = dueAt,
            StepDueAt = dueAt,
            Variables = JourneyTelemetry.StartVariables(),
        };
        var occurredAt = Select(journey, eventType, (journey, @event), static s => s.journey.OccurredAtOf(s.@event));
        // The functions are made by methods of their own: a lambda here would make this method allocate the state it
        // captures at every start, whether the function is needed or not.
        var start = new JourneyStart(InstanceLifecycle.Entered(journey, waiting, now), StartRefusal.Of(journey, waiting, now, occurredAt))
        {
            OccurredAt = occurredAt,
            MaxAge = journey.KnowsWhenTriggersOccurred ? journey.MaxTriggerAge : null,
            Replace = journey.ReentryPolicy == ReentryPolicy.Restart ? ReplacementOf(journey, now, eventType) : null,
            Supersede = rivals is not { Count: > 0 } ? Array.Empty<InstanceEnd>() : EndsOf(rivals, journey, key, now, eventType),
        };

        // Only the Ignore policy can meet an active instance; it may end between the two calls, hence the retry.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var started = await store.TryStartAsync(start, cancellationToken).ConfigureAwait(false);
            if (started.IsRefused)
            {
                var reason = StartRefusal.Why(started.RefusedBy, occurredAt, journey.MaxTriggerAge, now);
                EngineLog.StartRefused(logger, journey.Name, reason);
                return StartReport.Of(new SuppressedStart(journey.Name, key, reason));
            }

            if (started.IsStarted)
            {
                var instance = start.Entry.Instance;
                EngineLog.Started(logger, journey.Name, instance.Id);
                if (effects.Metrics.Entered.Enabled)
                {
                    effects.Metrics.Entered.Add(
                        1,
                        new(JourneyTelemetry.JourneyTag, journey.Name),
                        new(JourneyTelemetry.GroupTag, instance.Variables.GetValueOrDefault(Holdout.Variable, Holdout.JourneyGroup)));
                }
                await effects.AfterCommitAsync(instance, wasActive: false, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < started.Ended.Count; i++)
                {
                    await effects.AfterCommitAsync(started.Ended[i].Instance, wasActive: true, cancellationToken).ConfigureAwait(false);
                }

                return new StartReport(StartReportKind.Started, instance.Id, null, started.Ended.Count == 0 ? null : started.Ended);
            }

            var applied = await store.UpdateActiveAsync(journey.Name, key, IgnoringOf(eventType, now), cancellationToken).ConfigureAwait(false);
            if (applied is not null)
            {
                return new StartReport(StartReportKind.Ignored, applied.Instance.Id, null, null);
            }
        }

        throw new JourneyEventException(journey.Name, eventType, $"the instance for key '{key}' could not be started: its active instance kept ending and starting again");
    }

    private Func<JourneyInstance, JourneyTransition> ReplacementOf(JourneyDefinition journey, Instant now, Type eventType) =>
        active => InstanceLifecycle.Exit(catalog.Find(active.JourneyName, active.JourneyVersion) ?? journey, active, now, $"restarted by a new {eventType.Name}");

    private List<InstanceEnd> EndsOf(List<JourneyInstance> rivals, JourneyDefinition journey, string key, Instant now, Type eventType) =>
        rivals.Select(rival => new InstanceEnd(rival.JourneyName, rival.CorrelationKey, active =>
            active.Id != rival.Id ? null
            : InstanceLifecycle.Exit(
                catalog.Find(active.JourneyName, active.JourneyVersion) ?? journey,
                active,
                now,
                rival.JourneyName == journey.Name ? $"superseded by a newer {eventType.Name} ({key})" : $"preempted by journey '{journey.Name}'"))).ToList();

    private static Func<JourneyInstance, JourneyTransition?> ResumingOf(JourneyDefinition journey, KeyedEventRule rule, Type eventType, Instant now) =>
        active => InstanceLifecycle.Resume(journey, rule, active, eventType, now);

    private static Func<JourneyInstance, JourneyTransition?> RestartingOf(JourneyDefinition journey, Type eventType, Instant now) =>
        active => InstanceLifecycle.RestartWait(journey, active, eventType, now);

    private static Func<JourneyInstance, JourneyTransition?> IgnoringOf(Type eventType, Instant now) =>
        active => InstanceLifecycle.IgnoreReentry(active, eventType, now);

    /// <summary>The keys of the journeys whose waits (or restarts) the event concerns; in a method of its own, so that a publication without any allocates none of its state.</summary>
    private static List<(JourneyDefinition Journey, KeyedEventRule Rule, string Key)> KeysOf(IReadOnlyList<(JourneyDefinition Journey, KeyedEventRule Rule)> rules, Type eventType, object @event) =>
        rules.Select(w => (w.Journey, w.Rule, Key: RequireKey(w.Journey, eventType, Select(w.Journey, eventType, (w.Rule, @event), static s => s.Rule.Correlate(s.@event))))).ToList();

    /// <summary>
    /// Applies the journey's customer rules to a start: a cooldown or a journey of higher priority suppresses it;
    /// otherwise <paramref name="rivals"/> receives the instances the start will end (older ones of the same journey,
    /// lower-priority journeys).
    /// </summary>
    private string? WhySuppressed(JourneyDefinition journey, string key, IReadOnlyList<JourneyInstance> customersInstances, Instant now, List<JourneyInstance> rivals)
    {
        if (journey.Cooldown is { } cooldown
            && customersInstances.FirstOrDefault(i => i.JourneyName == journey.Name && i.StartedAt > now - cooldown && !(i.IsActive && i.CorrelationKey == key)) is { } recent)
        {
            return $"cooldown: the customer entered it {DurationText.Format(now - recent.StartedAt)} ago (cooldown {DurationText.Format(cooldown)})";
        }

        // An instance that only listens for its goal after its last step sends nothing more: it neither blocks nor is ended.
        foreach (var active in customersInstances.Where(i => i.IsActive && !i.IsListening && i.JourneyName != journey.Name))
        {
            if (journey.Priority is not { } priority || catalog.PriorityOf(active.JourneyName) is not { } theirs)
            {
                continue;
            }

            if (theirs >= priority)
            {
                return $"the customer is in journey '{active.JourneyName}' of priority {theirs} (this one: {priority})";
            }

            rivals.Add(active);
        }

        if (journey.LatestPerCustomer)
        {
            rivals.AddRange(customersInstances.Where(i => i.IsActive && !i.IsListening && i.JourneyName == journey.Name && i.CorrelationKey != key));
        }

        return null;
    }

    private static T Select<TState, T>(JourneyDefinition journey, Type eventType, TState state, Func<TState, T> selector)
    {
        try
        {
            return selector(state);
        }
        catch (Exception e)
        {
            throw new JourneyEventException(journey.Name, eventType, $"a selector or filter threw {e.GetType().Name}: {e.Message}", e);
        }
    }

    private static string RequireKey(JourneyDefinition journey, Type eventType, string? key) =>
        string.IsNullOrEmpty(key) ? throw new JourneyEventException(journey.Name, eventType, "its correlation key is null or empty")
        : JourneyLimits.Problem(key) is { } problem ? throw new JourneyEventException(journey.Name, eventType, $"its correlation key cannot be kept: {problem}")
        : key;

    private const string NulProblem = "a string in the event contains the NUL character, which durable stores cannot keep";

    /// <summary>
    /// Why the trigger cannot be kept as JSON by every store, or <see langword="null"/>: written once here, as a durable
    /// store will write it, so that every store refuses the same events (PostgreSQL's <c>jsonb</c> holds no NUL character).
    /// </summary>
    private static string? PayloadProblem(StoredEvent trigger)
    {
        // Written afresh and dropped: a durable store writes it again when it persists the instance, where caching it
        // here made the in-memory store keep every trigger twice, as an object and as JSON.
        ReadOnlySpan<byte> json;
        try
        {
            // Most events' strings are walked without writing them (see EventStringWalk); the others are written.
            if (trigger.TryFindNulWithoutJson(out var found))
            {
                return found ? NulProblem : null;
            }

            json = trigger.WriteUtf8JsonToThreadBuffer();
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            return $"the event cannot be written as JSON: {e.Message}";
        }

        // The cheap test first: a NUL is written escaped, as \u0000.
        if (json.IndexOf("\\u0000"u8) < 0)
        {
            return null;
        }

        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.GetString()!.Contains('\0', StringComparison.Ordinal))
            {
                return NulProblem;
            }
        }

        return null;
    }
}
