using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Scheduling;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Engine;

/// <summary>
/// Runs journeys: routes the host's events to them (start, exit) and runs their due steps on one execution path
/// for every store: claim a due instance, run its step, commit the outcome and the next wake-up atomically.
/// </summary>
/// <remarks>
/// Thread-safe; one engine per process. In a hosted app, <c>AddRecoveryJourneys</c> registers it with a background
/// worker that runs due steps in real time; in tests, <c>JourneyTestHarness</c> drives it with a fake clock.
/// </remarks>
public sealed partial class JourneyEngine : IJourneyDispatcher
{
    private static readonly MethodInfo ResolveMethod = typeof(IChannelResolver).GetMethod(nameof(IChannelResolver.Resolve))!;

    private readonly JourneyCatalog _catalog;
    private readonly IJourneyStore _store;
    private readonly IJourneyScheduler? _scheduler;
    private readonly TimeProvider _timeProvider;
    private readonly JourneyEngineOptions _options;
    private readonly StepServices _services;
    private readonly ILogger _logger;

    /// <summary>Creates an engine and checks that every journey can run: a channel for each message kind, a customer directory where needed.</summary>
    /// <param name="journeys">The journey definitions; several versions of one journey may be given.</param>
    /// <param name="store">Where instances and timelines are kept.</param>
    /// <param name="channels">Finds the channel for each message kind.</param>
    /// <param name="timeProvider">The only time source the engine reads.</param>
    /// <param name="options">Settings; the defaults when <see langword="null"/>.</param>
    /// <param name="scheduler">Told about new wake-ups; none when <see langword="null"/> (the caller runs <see cref="RunDueAsync"/>).</param>
    /// <param name="customers">Looks customers up by id, for journeys that use <c>ForCustomerId</c>.</param>
    /// <param name="loggerFactory">Where to log; nothing when <see langword="null"/>.</param>
    /// <exception cref="JourneyDefinitionException">A journey is registered twice or cannot run with these services.</exception>
    public JourneyEngine(
        IEnumerable<JourneyDefinition> journeys,
        IJourneyStore store,
        IChannelResolver channels,
        TimeProvider timeProvider,
        JourneyEngineOptions? options = null,
        IJourneyScheduler? scheduler = null,
        ICustomerDirectory? customers = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _catalog = new JourneyCatalog(journeys);
        _store = store;
        _scheduler = scheduler;
        _timeProvider = timeProvider;
        _options = options ?? new JourneyEngineOptions();
        _services = new StepServices(channels, customers);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<JourneyEngine>();
        CheckCanRun(channels, customers);
    }

    /// <summary>Every journey definition the engine runs, every version.</summary>
    public IReadOnlyList<JourneyDefinition> Journeys => _catalog.All;

    /// <summary>
    /// Hands an event to the journeys: it may start instances (a trigger), end them (an exit), or both. An event no
    /// journey listens to is a no-op and returns <see cref="PublishResult.Unhandled"/>.
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
        var ended = new List<JourneyInstanceId>();
        foreach (var (journey, rule, key, value) in exits)
        {
            var status = rule.IsConversion ? JourneyStatus.Converted : JourneyStatus.Exited;
            var applied = await _store.UpdateActiveAsync(
                journey.Name,
                key,
                instance => instance.JourneyVersion == journey.Version ? End(instance, now, status, eventType.Name, value) : null,
                cancellationToken).ConfigureAwait(false);
            if (applied is not null)
            {
                await OnEndedAsync(applied.Instance, cancellationToken).ConfigureAwait(false);
                ended.Add(applied.Instance.Id);
            }
        }

        var started = new List<JourneyInstanceId>();
        var ignored = new List<JourneyInstanceId>();
        var trigger = starts.Count > 0 ? StoredEvent.FromValue(@event, _options.EventSerializerOptions) : null;
        foreach (var (journey, key, customerId) in starts)
        {
            await StartAsync(journey, key, customerId, trigger!, eventType, now, started, ended, ignored, cancellationToken).ConfigureAwait(false);
        }

        return new PublishResult { Started = started, Ended = ended, Ignored = ignored };
    }

    /// <inheritdoc />
    public async ValueTask<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var ran = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var claims = await _store.ClaimDueAsync(_timeProvider.GetCurrentInstant(), _options.BatchSize, cancellationToken).ConfigureAwait(false);
            if (claims.Count == 0)
            {
                break;
            }

            try
            {
                if (_options.MaxConcurrentSteps == 1 || claims.Count == 1)
                {
                    foreach (var claim in claims)
                    {
                        await RunClaimAsync(claim, cancellationToken).ConfigureAwait(false);
                    }
                }
                else
                {
                    var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentSteps, CancellationToken = cancellationToken };
                    await Parallel.ForEachAsync(claims, parallel, (claim, token) => RunClaimAsync(claim, token)).ConfigureAwait(false);
                }
            }
            finally
            {
                // When a step throws or the host stops, the claims not yet run are released, so their instances stay
                // due (a durable store would otherwise hold them until its lease ends). Releasing a committed claim
                // does nothing.
                foreach (var claim in claims)
                {
                    await claim.DisposeAsync().ConfigureAwait(false);
                }
            }

            ran += claims.Count;
        }

        return ran;
    }

    /// <inheritdoc />
    public async ValueTask<bool> RunInstanceAsync(JourneyInstanceId instanceId, CancellationToken cancellationToken = default)
    {
        var claim = await _store.TryClaimAsync(instanceId, _timeProvider.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
        if (claim is null)
        {
            return false;
        }

        await RunClaimAsync(claim, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public ValueTask<Instant?> GetNextWakeUpAsync(CancellationToken cancellationToken = default) =>
        _store.GetNextWakeUpAsync(cancellationToken);

    /// <summary>Returns an instance's timeline: entered, each step's outcome, and how it ended.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public ValueTask<IReadOnlyList<JourneyRecord>> GetTimelineAsync(JourneyInstanceId instanceId, CancellationToken cancellationToken = default) =>
        _store.GetTimelineAsync(instanceId, cancellationToken);

    /// <summary>Returns the instances, active or ended, that match the query, oldest first.</summary>
    /// <param name="query">The criteria, e.g. a correlation key or a customer id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public ValueTask<IReadOnlyList<JourneyInstance>> FindInstancesAsync(JourneyInstanceQuery query, CancellationToken cancellationToken = default) =>
        _store.FindAsync(query, cancellationToken);

    /// <summary>
    /// Removes every journey instance of a customer, with its trigger event and timeline, from the store (the right
    /// to erasure). Pending steps of those instances never run.
    /// </summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="cancellationToken">Cancels the erasure.</param>
    /// <returns>How many instances were removed.</returns>
    public ValueTask<int> EraseCustomerAsync(string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        return _store.EraseCustomerAsync(customerId, cancellationToken);
    }

    private async ValueTask RunClaimAsync(IJourneyClaim claim, CancellationToken cancellationToken)
    {
        await using var _ = claim.ConfigureAwait(false);
        var instance = claim.Instance;
        var now = _timeProvider.GetCurrentInstant();
        var journey = _catalog.Find(instance.JourneyName, instance.JourneyVersion);
        var step = instance.NextStepId is { } stepId ? journey?.FindStep(stepId) : null;
        if (journey is null || step is null)
        {
            var reason = journey is null
                ? $"journey '{instance.JourneyName}' v{instance.JourneyVersion} is not registered"
                : $"step '{instance.NextStepId}' does not exist in journey '{instance.JourneyName}' v{instance.JourneyVersion}";
            Log.CannotRun(_logger, instance.JourneyName, instance.Id, reason);
            var ended = End(instance, now, JourneyStatus.Exited, reason, value: null);
            await claim.CommitAsync(ended, CancellationToken.None).ConfigureAwait(false);
            await OnEndedAsync(ended.Instance, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        StepOutcome outcome;
        try
        {
            outcome = await journey.RunStepAsync(instance, step, now, _services, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the claim is released unchanged and the step runs again, with the same idempotency key.
            throw;
        }
        catch (Exception e)
        {
            outcome = StepOutcome.Failed(e);
            Log.StepThrew(_logger, e, journey.Name, step.Id, instance.Id);
        }

        var transition = Advance(journey, instance, step, outcome, now);

        // The send already happened: record it even if the host is stopping, so it is not sent again.
        try
        {
            await claim.CommitAsync(transition, CancellationToken.None).ConfigureAwait(false);
        }
        catch (JourneyClaimLostException e)
        {
            // Another worker took the instance and runs the step again with the same idempotency key.
            Log.ClaimLost(_logger, e, journey.Name, step.Id, instance.Id);
            return;
        }

        Log.StepRan(_logger, journey.Name, step.Id, instance.Id, outcome.Kind);
        if (transition.Instance.WakeUpAt is { } wakeUpAt)
        {
            await ScheduleAsync(instance.Id, wakeUpAt, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            await OnEndedAsync(transition.Instance, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static JourneyTransition Advance(JourneyDefinition journey, JourneyInstance instance, JourneyStep step, StepOutcome outcome, Instant now)
    {
        var stepRecord = new JourneyRecord(instance.Id, instance.JourneyName, now, outcome.Kind)
        {
            StepId = step.Id,
            Channel = step.Channel,
            Detail = outcome.Detail,
        };
        var ran = instance with
        {
            LastStepAt = now,
            LastSentStepId = outcome.Kind == JourneyRecordKind.Sent && step.Channel != "action" ? step.Id : instance.LastSentStepId,
        };

        if (outcome.Kind == JourneyRecordKind.Failed && journey.StepFailurePolicy == StepFailurePolicy.Exit)
        {
            return End(ran, now, JourneyStatus.Exited, $"step '{step.Id}' failed", value: null, stepRecord);
        }

        var next = step.NextStepId is { } nextId ? journey.FindStep(nextId) : null;
        if (next is null)
        {
            return End(ran, now, JourneyStatus.Completed, "completed", value: null, stepRecord);
        }

        var advanced = ran with { NextStepId = next.Id, WakeUpAt = next.Timing.DueAt(instance.StartedAt, now) };
        return new JourneyTransition(advanced, [stepRecord]);
    }

    private static JourneyTransition End(
        JourneyInstance instance,
        Instant now,
        JourneyStatus status,
        string reason,
        decimal? value,
        JourneyRecord? stepRecord = null)
    {
        var kind = status switch
        {
            JourneyStatus.Converted => JourneyRecordKind.Converted,
            JourneyStatus.Completed => JourneyRecordKind.Completed,
            _ => JourneyRecordKind.Exited,
        };
        var ended = instance with { Status = status, NextStepId = null, WakeUpAt = null, EndedAt = now, EndReason = reason };
        var endRecord = new JourneyRecord(instance.Id, instance.JourneyName, now, kind)
        {
            StepId = kind == JourneyRecordKind.Converted ? instance.LastSentStepId : null,
            Detail = reason,
            Value = value,
        };
        return new JourneyTransition(ended, stepRecord is null ? [endRecord] : [stepRecord, endRecord]);
    }

    private async ValueTask StartAsync(
        JourneyDefinition journey,
        string key,
        string? customerId,
        StoredEvent trigger,
        Type eventType,
        Instant now,
        List<JourneyInstanceId> started,
        List<JourneyInstanceId> ended,
        List<JourneyInstanceId> ignored,
        CancellationToken cancellationToken)
    {
        var first = journey.Steps[0];
        var instance = new JourneyInstance
        {
            Id = JourneyInstanceId.New(),
            JourneyName = journey.Name,
            JourneyVersion = journey.Version,
            CorrelationKey = key,
            CustomerId = customerId,
            Trigger = trigger,
            StartedAt = now,
            NextStepId = first.Id,
            WakeUpAt = first.Timing.DueAt(now, previousStepAt: null),
        };
        var entered = new JourneyTransition(instance, [new JourneyRecord(instance.Id, journey.Name, now, JourneyRecordKind.Entered)]);

        // A restart ends the active instance, then starts; another trigger may slip in between, hence the retry.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var outcome = await _store.TryStartAsync(entered, cancellationToken).ConfigureAwait(false);
            if (outcome.IsStarted)
            {
                Log.Started(_logger, journey.Name, instance.Id);
                started.Add(instance.Id);
                await ScheduleAsync(instance.Id, instance.WakeUpAt!.Value, cancellationToken).ConfigureAwait(false);
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
                    ignored.Add(applied.Instance.Id);
                    return;
                }
            }
            else
            {
                var restarted = await _store.UpdateActiveAsync(
                    journey.Name,
                    key,
                    active => End(active, now, JourneyStatus.Exited, $"restarted by a new {eventType.Name}", value: null),
                    cancellationToken).ConfigureAwait(false);
                if (restarted is not null)
                {
                    await OnEndedAsync(restarted.Instance, cancellationToken).ConfigureAwait(false);
                    ended.Add(restarted.Instance.Id);
                }
            }
        }

        throw new JourneyEventException(journey.Name, eventType, $"the instance for key '{key}' could not be started: other triggers for the same key kept racing it");
    }

    private async ValueTask OnEndedAsync(JourneyInstance instance, CancellationToken cancellationToken)
    {
        Log.Ended(_logger, instance.JourneyName, instance.Id, instance.Status);
        if (_scheduler is not null)
        {
            await _scheduler.CancelAsync(instance.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask ScheduleAsync(JourneyInstanceId instanceId, Instant wakeUpAt, CancellationToken cancellationToken) =>
        _scheduler?.ScheduleAsync(instanceId, wakeUpAt, cancellationToken) ?? ValueTask.CompletedTask;

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

    private void CheckCanRun(IChannelResolver channels, ICustomerDirectory? customers)
    {
        foreach (var journey in _catalog.All)
        {
            if (journey.NeedsCustomerDirectory && customers is null)
            {
                throw new JourneyDefinitionException(journey.Name, null, "it names its customer by id (ForCustomerId) but no ICustomerDirectory is registered");
            }

            foreach (var messageType in journey.MessageTypes)
            {
                if (ResolveMethod.MakeGenericMethod(messageType).Invoke(channels, null) is null)
                {
                    var step = journey.Steps.First(s => s.Channel == ChannelNameAttribute.Of(messageType));
                    throw new JourneyDefinitionException(journey.Name, step.Id, $"it sends {messageType.Name} but no IChannel<{messageType.Name}> is registered");
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "No journey listens to {EventType}; the event is ignored")]
        public static partial void EventUnhandled(ILogger logger, string eventType);

        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Journey {Journey} started instance {InstanceId}")]
        public static partial void Started(ILogger logger, string journey, JourneyInstanceId instanceId);

        [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Journey {Journey} instance {InstanceId} ended: {Status}")]
        public static partial void Ended(ILogger logger, string journey, JourneyInstanceId instanceId, JourneyStatus status);

        [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Journey {Journey} step {StepId} of instance {InstanceId}: {Outcome}")]
        public static partial void StepRan(ILogger logger, string journey, string stepId, JourneyInstanceId instanceId, JourneyRecordKind outcome);

        [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Journey {Journey} step {StepId} of instance {InstanceId} threw")]
        public static partial void StepThrew(ILogger logger, Exception exception, string journey, string stepId, JourneyInstanceId instanceId);

        [LoggerMessage(EventId = 112, Level = LogLevel.Error, Message = "Journey {Journey} instance {InstanceId} cannot run and is ended: {Reason}")]
        public static partial void CannotRun(ILogger logger, string journey, JourneyInstanceId instanceId, string reason);

        [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "Journey {Journey} step {StepId} of instance {InstanceId} ran but its claim was lost; another worker runs it again with the same idempotency key")]
        public static partial void ClaimLost(ILogger logger, Exception exception, string journey, string stepId, JourneyInstanceId instanceId);
    }
}
