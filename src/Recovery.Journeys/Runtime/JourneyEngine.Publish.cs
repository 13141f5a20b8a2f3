using NodaTime;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime.Steps;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Telemetry;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Runtime;

/// <summary>Routing the host's events: exits, awaited events, debounces, and starts with their re-entry and customer rules.</summary>
public sealed partial class JourneyEngine
{
    /// <summary>
    /// Hands an event to the journeys: it may end instances (an exit), resume waiting ones, restart waits (debounce),
    /// and start instances (a trigger). An event no journey listens to is a no-op and returns <see cref="PublishResult.Unhandled"/>.
    /// </summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <param name="event">The event.</param>
    /// <param name="cancellationToken">Cancels the publication.</param>
    /// <returns>What the event did.</returns>
    /// <exception cref="JourneyEventException">
    /// A journey cannot handle the event (a null or empty correlation key, a selector that throws). Nothing is
    /// changed for any journey then.
    /// </exception>
    public async ValueTask<PublishResult> PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(@event);
        var eventType = @event.GetType();
        var route = _catalog.RouteFor(eventType);
        if (route.IsEmpty)
        {
            Log.EventUnhandled(_logger, eventType.Name);
            return PublishResult.Unhandled;
        }

        // Every selector runs before anything changes, so that an event one journey rejects changes no journey.
        var exits = new List<(JourneyDefinition Journey, JourneyExitRule Rule, string Key, decimal? Value)>();
        foreach (var (journey, rule) in route.Exits)
        {
            if (Select(journey, eventType, () => (rule.TryMatch(@event, out var key, out var value), key, value)) is (true, var k, var v))
            {
                exits.Add((journey, rule, RequireKey(journey, eventType, k), v));
            }
        }

        var waits = route.Waits.Select(w => (w.Journey, w.Rule, Key: RequireKey(w.Journey, eventType, Select(w.Journey, eventType, () => w.Rule.Correlate(@event))))).ToList();
        var restarts = route.Restarts.Select(r => (r.Journey, Key: RequireKey(r.Journey, eventType, Select(r.Journey, eventType, () => r.Rule.Correlate(@event))))).ToList();
        var starts = new List<(JourneyDefinition Journey, string Key, string? CustomerId)>();
        foreach (var journey in route.Triggers)
        {
            if (Select(journey, eventType, () => journey.Accepts(@event)))
            {
                var key = RequireKey(journey, eventType, Select(journey, eventType, () => journey.CorrelationKeyOf(@event)));
                starts.Add((journey, key, Select(journey, eventType, () => journey.CustomerIdOf(@event))));
            }
        }

        var now = _timeProvider.GetCurrentInstant();
        var outcome = new PublishOutcome();
        foreach (var (journey, rule, key, value) in exits)
        {
            await EndActiveAsync(journey, key, outcome, cancellationToken, active =>
                active.JourneyVersion != journey.Version ? null
                : rule.IsConversion ? Attribution.Convert(journey, active, now, eventType.Name, value)
                : End(active, now, JourneyStatus.Exited, eventType.Name, value)).ConfigureAwait(false);
        }

        foreach (var (journey, rule, key) in waits)
        {
            var resumed = await _store.UpdateActiveAsync(journey.Name, key, active => Resume(journey, rule, active, eventType, now), cancellationToken).ConfigureAwait(false);
            if (resumed is not null)
            {
                outcome.Resumed.Add(resumed.Instance.Id);

                // The event's path may end the journey at once (an empty path at the end of a journey without a goal).
                if (resumed.Instance.WakeUpAt is { } wakeUpAt)
                {
                    await ScheduleAsync(resumed.Instance.Id, wakeUpAt, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await OnEndedAsync(resumed.Instance, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        foreach (var (journey, key) in restarts)
        {
            var restarted = await _store.UpdateActiveAsync(journey.Name, key, active => RestartWait(journey, active, eventType, now), cancellationToken).ConfigureAwait(false);
            if (restarted is not null)
            {
                outcome.WaitsRestarted.Add(restarted.Instance.Id);
                await ScheduleAsync(restarted.Instance.Id, restarted.Instance.WakeUpAt!.Value, cancellationToken).ConfigureAwait(false);
            }
        }

        var trigger = starts.Count > 0 ? StoredEvent.FromValue(@event, _options.EventSerializerOptions) : null;
        foreach (var (journey, key, customerId) in starts)
        {
            await StartAsync(journey, key, customerId, @event, trigger!, now, outcome, cancellationToken).ConfigureAwait(false);
        }

        return outcome.ToResult();
    }

    /// <summary>Moves an instance waiting for this event at the rule's step on to the event's path, timed from now.</summary>
    private static JourneyTransition? Resume(JourneyDefinition journey, KeyedEventRule rule, JourneyInstance active, Type eventType, Instant now)
    {
        if (active.JourneyVersion != journey.Version || active.NextStepId != rule.StepId || active.StepProgress != WaitProgress.Waiting
            || journey.FindStep(rule.StepId!) is not { } waitStep)
        {
            return null;
        }

        var record = new JourneyRecord(active.Id, active.JourneyName, now, JourneyRecordKind.Resumed) { StepId = waitStep.Id, Channel = "wait", Detail = eventType.Name };
        var moved = active with { LastStepAt = now, StepAttempt = 0, StepProgress = null };
        return MoveTo(journey, moved, waitStep.Transitions[0].TargetStepId, now, [record]);
    }

    /// <summary>Starts the wait before the instance's next step over from now (debounce); leaves retries and event waits alone.</summary>
    private static JourneyTransition? RestartWait(JourneyDefinition journey, JourneyInstance active, Type eventType, Instant now)
    {
        if (active.JourneyVersion != journey.Version || active.StepAttempt != 0 || active.StepProgress is not null || active.WakeUpAt is not { } wakeUpAt
            || Attribution.IsListening(active))
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

    private async ValueTask StartAsync(
        JourneyDefinition journey,
        string key,
        string? customerId,
        object @event,
        StoredEvent trigger,
        Instant now,
        PublishOutcome outcome,
        CancellationToken cancellationToken)
    {
        var eventType = @event.GetType();
        var rivals = new List<JourneyInstance>();
        if (customerId is not null && (journey.Cooldown is not null || journey.Priority is not null || journey.LatestPerCustomer))
        {
            var customersInstances = await _store.FindAsync(new JourneyInstanceQuery(CustomerId: customerId), cancellationToken).ConfigureAwait(false);
            if (WhySuppressed(journey, key, customersInstances, now, rivals) is { } reason)
            {
                Log.StartSuppressed(_logger, journey.Name, reason);
                outcome.Suppressed.Add(new SuppressedStart(journey.Name, key, reason));
                return;
            }
        }

        var zone = await journey.TimeZoneAtStartAsync(@event, _services.Host, cancellationToken).ConfigureAwait(false);
        var first = journey.Steps[0];
        var instance = new JourneyInstance
        {
            Id = JourneyInstanceId.New(),
            JourneyName = journey.Name,
            JourneyVersion = journey.Version,
            CorrelationKey = key,
            CustomerId = customerId,
            TimeZone = zone,
            Trigger = trigger,
            StartedAt = now,
            NextStepId = first.Id,
        };
        instance = instance with { WakeUpAt = first.Timing.DueAt(now, previousStepAt: null, ZoneOf(instance)) };
        List<JourneyRecord> records = [new JourneyRecord(instance.Id, journey.Name, now, JourneyRecordKind.Entered)];
        if (journey.HoldoutPercent > 0)
        {
            var (variables, assigned) = Holdout.Assign(journey, instance);
            instance = instance with { Variables = variables };
            records.Add(assigned);
        }

        var entered = new JourneyTransition(instance, records);

        // A restart ends the active instance, then starts; another trigger may slip in between, hence the retry.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var started = await _store.TryStartAsync(entered, cancellationToken).ConfigureAwait(false);
            if (started.IsStarted)
            {
                Log.Started(_logger, journey.Name, instance.Id);
                JourneyTelemetry.Entered.Add(
                    1,
                    new(JourneyTelemetry.JourneyTag, journey.Name),
                    new(JourneyTelemetry.GroupTag, instance.Variables.GetValueOrDefault(Holdout.Variable, Holdout.JourneyGroup)));
                outcome.Started.Add(instance.Id);
                await ScheduleAsync(instance.Id, instance.WakeUpAt!.Value, cancellationToken).ConfigureAwait(false);
                foreach (var rival in rivals)
                {
                    var reason = rival.JourneyName == journey.Name ? $"superseded by a newer {eventType.Name} ({key})" : $"preempted by journey '{journey.Name}'";
                    await EndActiveAsync(journey, rival.CorrelationKey, outcome, cancellationToken, active =>
                        active.Id == rival.Id ? End(active, now, JourneyStatus.Exited, reason, value: null) : null, rival.JourneyName).ConfigureAwait(false);
                }

                return;
            }

            if (journey.ReentryPolicy == ReentryPolicy.Ignore)
            {
                var applied = await _store.UpdateActiveAsync(
                    journey.Name,
                    key,
                    active => new JourneyTransition(active, [new JourneyRecord(active.Id, journey.Name, now, JourneyRecordKind.ReentryIgnored) { Detail = eventType.Name }]),
                    cancellationToken).ConfigureAwait(false);
                if (applied is not null)
                {
                    outcome.Ignored.Add(applied.Instance.Id);
                    return;
                }
            }
            else
            {
                await EndActiveAsync(journey, key, outcome, cancellationToken, active => End(active, now, JourneyStatus.Exited, $"restarted by a new {eventType.Name}", value: null)).ConfigureAwait(false);
            }
        }

        throw new JourneyEventException(journey.Name, eventType, $"the instance for key '{key}' could not be started: other triggers for the same key kept racing it");
    }

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
        foreach (var active in customersInstances.Where(i => i.IsActive && !Attribution.IsListening(i) && i.JourneyName != journey.Name))
        {
            if (journey.Priority is not { } priority || _catalog.PriorityOf(active.JourneyName) is not { } theirs)
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
            rivals.AddRange(customersInstances.Where(i => i.IsActive && !Attribution.IsListening(i) && i.JourneyName == journey.Name && i.CorrelationKey != key));
        }

        return null;
    }

    private async ValueTask EndActiveAsync(
        JourneyDefinition journey,
        string key,
        PublishOutcome outcome,
        CancellationToken cancellationToken,
        Func<JourneyInstance, JourneyTransition?> end,
        string? journeyName = null)
    {
        var ended = await _store.UpdateActiveAsync(journeyName ?? journey.Name, key, end, cancellationToken).ConfigureAwait(false);
        if (ended is not null)
        {
            await OnEndedAsync(ended.Instance, cancellationToken).ConfigureAwait(false);
            outcome.Ended.Add(ended.Instance.Id);
        }
    }

    private static T Select<T>(JourneyDefinition journey, Type eventType, Func<T> selector)
    {
        try
        {
            return selector();
        }
        catch (Exception e)
        {
            throw new JourneyEventException(journey.Name, eventType, $"a selector or filter threw {e.GetType().Name}: {e.Message}", e);
        }
    }

    private static string RequireKey(JourneyDefinition journey, Type eventType, string? key) =>
        string.IsNullOrEmpty(key)
            ? throw new JourneyEventException(journey.Name, eventType, "its correlation key is null or empty")
            : key;

    /// <summary>What one publication did, gathered as it goes.</summary>
    private sealed class PublishOutcome
    {
        public List<JourneyInstanceId> Started { get; } = [];

        public List<JourneyInstanceId> Ended { get; } = [];

        public List<JourneyInstanceId> Ignored { get; } = [];

        public List<JourneyInstanceId> Resumed { get; } = [];

        public List<JourneyInstanceId> WaitsRestarted { get; } = [];

        public List<SuppressedStart> Suppressed { get; } = [];

        public PublishResult ToResult() => new()
        {
            Started = Started,
            Ended = Ended,
            Ignored = Ignored,
            Resumed = Resumed,
            WaitsRestarted = WaitsRestarted,
            Suppressed = Suppressed,
        };
    }
}
