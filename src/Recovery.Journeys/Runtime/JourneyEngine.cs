using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Reports;
using Recovery.Journeys.Scheduling;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Telemetry;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Runtime;

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

    /// <summary>
    /// Creates an engine and checks that every journey can run with the host's services: a channel for each message
    /// kind, a customer directory and content providers where journeys need them.
    /// </summary>
    /// <param name="journeys">The journey definitions; several versions of one journey may be given.</param>
    /// <param name="store">Where instances and timelines are kept.</param>
    /// <param name="services">The host's channels and other ports.</param>
    /// <param name="timeProvider">The only time source the engine reads.</param>
    /// <param name="options">Settings; the defaults when <see langword="null"/>.</param>
    /// <param name="scheduler">Told about new wake-ups; none when <see langword="null"/> (the caller runs <see cref="RunDueAsync"/>).</param>
    /// <param name="loggerFactory">Where to log; nothing when <see langword="null"/>.</param>
    /// <exception cref="JourneyDefinitionException">A journey is registered twice or cannot run with these services.</exception>
    public JourneyEngine(
        IEnumerable<JourneyDefinition> journeys,
        IJourneyStore store,
        JourneyHostServices services,
        TimeProvider timeProvider,
        JourneyEngineOptions? options = null,
        IJourneyScheduler? scheduler = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(services.Channels, nameof(services));
        ArgumentNullException.ThrowIfNull(timeProvider);
        _catalog = new JourneyCatalog(journeys);
        _store = store;
        _scheduler = scheduler;
        _timeProvider = timeProvider;
        _options = options ?? new JourneyEngineOptions();
        _services = new StepServices(services, timeProvider, _options, store);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<JourneyEngine>();
        CheckCanRun(services);
    }

    /// <summary>Every journey definition the engine runs, every version.</summary>
    public IReadOnlyList<JourneyDefinition> Journeys => _catalog.All;

    /// <inheritdoc />
    /// <remarks>
    /// A step that completes without waiting (an in-memory store, a channel that answers at once) runs inline, and the
    /// next one after it; a step that waits (a channel's or a store's I/O) goes on running while the next ones start,
    /// up to <see cref="JourneyEngineOptions.MaxConcurrentSteps"/> at once, so a slow channel holds up one step, not
    /// the others. Handing every step to the thread pool instead cost twice as much per step when nothing waits.
    /// </remarks>
    public async ValueTask<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var ran = 0;
        List<Task>? running = null;
        List<Exception>? failures = null;
        try
        {
            await foreach (var claim in ClaimDueAsync(cancellationToken).ConfigureAwait(false))
            {
                var step = RunClaimAsync(claim, cancellationToken);
                if (step.IsCompletedSuccessfully || _options.MaxConcurrentSteps == 1)
                {
                    await step.ConfigureAwait(false);
                    ran++;
                    continue;
                }

                running ??= new List<Task>(_options.MaxConcurrentSteps);
                running.Add(step.AsTask());
                if (running.Count < _options.MaxConcurrentSteps)
                {
                    continue;
                }

                var done = await Task.WhenAny(running).ConfigureAwait(false);
                running.Remove(done);
                if (done.IsCompletedSuccessfully)
                {
                    ran++;
                }
                else
                {
                    // Stop claiming; the steps still running finish first (their sends happened and are recorded).
                    (failures ??= []).Add(done.Exception?.InnerException ?? new OperationCanceledException(cancellationToken));
                    break;
                }
            }
        }
        finally
        {
            foreach (var step in running ?? [])
            {
                try
                {
                    await step.ConfigureAwait(false);
                    ran++;
                }
                catch (Exception e)
                {
                    (failures ??= []).Add(e);
                }
            }
        }

        if (failures is not null)
        {
            // As awaiting several failed steps would: the first failure.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failures[0]);
        }

        return ran;
    }

    /// <summary>Claims due instances batch by batch until none is left.</summary>
    /// <remarks>
    /// When a step throws or the host stops, the enumeration ends early and the claims of the batch not yet handed
    /// out are released here, so their instances stay due (a durable store would otherwise hold them until its
    /// lease ends). A claim handed out is released by the step that runs it.
    /// </remarks>
    private async IAsyncEnumerable<IJourneyClaim> ClaimDueAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var batchSize = Math.Min(_options.BatchSize, Math.Max(_options.MaxConcurrentSteps, 16));
        while (!cancellationToken.IsCancellationRequested)
        {
            var claims = await _store.ClaimDueAsync(_timeProvider.GetCurrentInstant(), batchSize, cancellationToken).ConfigureAwait(false);
            if (claims.Count == 0)
            {
                yield break;
            }

            var handedOut = 0;
            try
            {
                foreach (var claim in claims)
                {
                    handedOut++;
                    yield return claim;
                }
            }
            finally
            {
                for (var i = handedOut; i < claims.Count; i++)
                {
                    await claims[i].DisposeAsync().ConfigureAwait(false);
                }
            }
        }
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
    /// Reports on a journey (every version) from the store: entries, sends per step and channel, conversions and
    /// revenue, experiments and holdout compared. See <see cref="Reports.JourneyReports.CreateAsync"/>.
    /// </summary>
    /// <param name="journeyName">The journey.</param>
    /// <param name="options">The period and the confidence level; every instance at 95 % when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentException">No journey has that name.</exception>
    public ValueTask<Reports.JourneyReport> ReportAsync(string journeyName, Reports.JourneyReportOptions? options = null, CancellationToken cancellationToken = default)
    {
        var journey = _catalog.Latest.FirstOrDefault(j => j.Name == journeyName)
            ?? throw new ArgumentException($"No journey is named '{journeyName}'.", nameof(journeyName));
        return Reports.JourneyReports.CreateAsync(_store, journey, options, cancellationToken);
    }

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

    /// <summary>
    /// Renders what a step would send for a sample event, without sending or storing anything: the step is rendered
    /// at its due time had the journey started now (previous steps on time), with content fetched from the providers.
    /// </summary>
    /// <param name="journeyName">The journey (its latest version).</param>
    /// <param name="stepId">The step.</param>
    /// <param name="sampleEvent">A trigger event to render with.</param>
    /// <param name="customer">The customer to render for; by default the journey's own customer selection.</param>
    /// <param name="cancellationToken">Cancels the preview.</param>
    /// <returns>One rendered message per channel of the step (none for a host action).</returns>
    /// <exception cref="ArgumentException">No such journey or step, or the event is of the wrong type.</exception>
    public async ValueTask<StepPreview> PreviewAsync(string journeyName, string stepId, object sampleEvent, Customer? customer = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sampleEvent);
        var journey = _catalog.Latest.FirstOrDefault(j => j.Name == journeyName)
            ?? throw new ArgumentException($"No journey is named '{journeyName}'.", nameof(journeyName));
        var step = journey.FindStep(stepId) ?? throw new ArgumentException($"Journey '{journeyName}' has no step '{stepId}'.", nameof(stepId));
        if (!journey.EventType.IsInstanceOfType(sampleEvent))
        {
            throw new ArgumentException($"Journey '{journeyName}' starts on {journey.EventType.Name}, not {sampleEvent.GetType().Name}.", nameof(sampleEvent));
        }

        var startedAt = _timeProvider.GetCurrentInstant();
        var zoneId = await journey.TimeZoneAtStartAsync(sampleEvent, _services.Host, cancellationToken).ConfigureAwait(false);
        var ranAt = DueOnTime(journey, step, startedAt, zoneId is null ? DateTimeZone.Utc : DateTimeZoneProviders.Tzdb[zoneId]);

        var instance = new JourneyInstance
        {
            Id = JourneyInstanceId.New(),
            JourneyName = journey.Name,
            JourneyVersion = journey.Version,
            CorrelationKey = "preview",
            CustomerId = journey.CustomerIdOf(sampleEvent),
            Trigger = StoredEvent.FromValue(sampleEvent, _options.EventSerializerOptions),
            StartedAt = startedAt,
            WakeUpAt = ranAt,
            TimeZone = zoneId,
        };
        var messages = await journey.PreviewStepAsync(instance, step, ranAt, customer, _services, cancellationToken).ConfigureAwait(false);
        return new StepPreview(journey.Name, step.Id, ranAt, messages);
    }

    /// <summary>When a step would be due had the journey started at <paramref name="startedAt"/> and every step before it run on time, along the first path that reaches it.</summary>
    private static Instant DueOnTime(JourneyDefinition journey, JourneyStep target, Instant startedAt, DateTimeZone zone)
    {
        var due = new Dictionary<string, Instant> { [journey.Steps[0].Id] = journey.Steps[0].Timing.DueAt(startedAt, null, zone) };
        var queue = new Queue<JourneyStep>([journey.Steps[0]]);
        while (queue.TryDequeue(out var step) && step != target)
        {
            foreach (var next in step.Transitions.Select(t => t.TargetStepId is null ? null : journey.FindStep(t.TargetStepId)).OfType<JourneyStep>())
            {
                if (due.TryAdd(next.Id, next.Timing.DueAt(startedAt, due[step.Id], zone)))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return due[target.Id];
    }

    private async ValueTask RunClaimAsync(IJourneyClaim claim, CancellationToken cancellationToken)
    {
        await using var _ = claim.ConfigureAwait(false);
        var instance = claim.Instance;
        var now = _timeProvider.GetCurrentInstant();
        var journey = _catalog.Find(instance.JourneyName, instance.JourneyVersion);
        if (journey is not null && Attribution.IsListening(instance))
        {
            // The attribution window after the last step is over without the goal event.
            var completed = End(instance, now, JourneyStatus.Completed, "completed", value: null);
            await claim.CommitAsync(completed, CancellationToken.None).ConfigureAwait(false);
            await OnEndedAsync(completed.Instance, CancellationToken.None).ConfigureAwait(false);
            return;
        }

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

        using var activity = StepTelemetry.Start(journey, step, instance, now);
        StepResult result;
        try
        {
            result = await journey.RunStepAsync(instance, step, now, _services, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the claim is released unchanged and the step runs again, with the same idempotency key.
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "canceled");
            throw;
        }
        catch (Exception e)
        {
            // Steps catch the host's exceptions themselves; this is a bug of the library's, recorded rather than lost.
            // The log gets the exception's type and stack trace, not its message: a message may quote customer data.
            result = new StepResult([new(JourneyRecordKind.Failed, step.Channel, $"{e.GetType().Name}: {e.Message}")]);
            Log.StepThrew(_logger, journey.Name, step.Id, instance.Id, e.GetType().FullName ?? e.GetType().Name, e.StackTrace ?? string.Empty);
        }

        StepTelemetry.Ran(activity, journey, step, result);

        var transition = Advance(journey, instance, step, result, now);

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

        foreach (var delivery in result.Deliveries)
        {
            Log.StepRan(_logger, journey.Name, step.Id, delivery.Channel, instance.Id, delivery.Kind);
        }

        if (transition.Instance.WakeUpAt is { } wakeUpAt)
        {
            await ScheduleAsync(instance.Id, wakeUpAt, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            await OnEndedAsync(transition.Instance, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static JourneyTransition Advance(JourneyDefinition journey, JourneyInstance instance, JourneyStep step, StepResult result, Instant now)
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
        var failedExit = result.Failed && journey.StepFailurePolicy == StepFailurePolicy.Exit;

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
            NextStepId = failedExit ? instance.NextStepId : next?.Id,
            WakeUpAt = next is null || failedExit ? instance.WakeUpAt : next.Timing.DueAt(instance.StartedAt, now, ZoneOf(instance)),
        };
        return failedExit ? End(ran, now, JourneyStatus.Exited, $"step '{step.Id}' failed", value: null, records)
            : next is null ? Attribution.Listen(journey, ran, now, records)
            : new JourneyTransition(ran, records);
    }

    /// <summary>
    /// Points the instance at the given step, due by that step's timing from now; when there is none, the instance
    /// listens for its goal event for the attribution window, then completes.
    /// </summary>
    /// <param name="journey">The instance's journey.</param>
    /// <param name="instance">The instance.</param>
    /// <param name="nextStepId">The step to run next, or <see langword="null"/> when there is none.</param>
    /// <param name="now">The current instant, the anchor of the next step's delay.</param>
    /// <param name="records">The timeline entries of the move.</param>
    internal static JourneyTransition MoveTo(JourneyDefinition journey, JourneyInstance instance, string? nextStepId, Instant now, IReadOnlyList<JourneyRecord> records)
    {
        var next = nextStepId is null ? null : journey.FindStep(nextStepId);
        if (next is null)
        {
            return Attribution.Listen(journey, instance, now, records);
        }

        var moved = instance with { NextStepId = next.Id, WakeUpAt = next.Timing.DueAt(instance.StartedAt, now, ZoneOf(instance)), StepAttempt = 0, StepProgress = null };
        return new JourneyTransition(moved, records);
    }

    internal static DateTimeZone ZoneOf(JourneyInstance instance) =>
        instance.TimeZone is { } id ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) ?? DateTimeZone.Utc : DateTimeZone.Utc;

    internal static JourneyTransition End(
        JourneyInstance instance,
        Instant now,
        JourneyStatus status,
        string reason,
        decimal? value,
        IReadOnlyList<JourneyRecord>? stepRecords = null)
    {
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

    private async ValueTask OnEndedAsync(JourneyInstance instance, CancellationToken cancellationToken)
    {
        Log.Ended(_logger, instance.JourneyName, instance.Id, instance.Status);
        JourneyTelemetry.Exited.Add(1, new(JourneyTelemetry.JourneyTag, instance.JourneyName), new(JourneyTelemetry.OutcomeTag, JourneyTelemetry.OutcomeOf(instance.Status)));
        if (_scheduler is not null)
        {
            await _scheduler.CancelAsync(instance.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask ScheduleAsync(JourneyInstanceId instanceId, Instant wakeUpAt, CancellationToken cancellationToken) =>
        _scheduler?.ScheduleAsync(instanceId, wakeUpAt, cancellationToken) ?? ValueTask.CompletedTask;

    private void CheckCanRun(JourneyHostServices services)
    {
        foreach (var journey in _catalog.All)
        {
            if (journey.NeedsCustomerDirectory && services.Customers is null)
            {
                throw new JourneyDefinitionException(journey.Name, null, "it names its customer by id (ForCustomerId) but no ICustomerDirectory is registered");
            }

            if (journey.ActivityQuietPeriod is not null && services.Activity is null)
            {
                throw new JourneyDefinitionException(journey.Name, null, "it waits while the customer is active (WaitWhileActive) but no ICustomerActivity is registered");
            }

            if (journey.ContentNames.FirstOrDefault(name => !services.Content.ContainsKey(name)) is { } missing)
            {
                throw new JourneyDefinitionException(journey.Name, null, $"it fetches '{missing}' but no content provider of that name is registered");
            }

            foreach (var messageType in journey.MessageTypes)
            {
                if (ResolveMethod.MakeGenericMethod(messageType).Invoke(services.Channels, null) is null)
                {
                    var channel = ChannelNameAttribute.Of(messageType);
                    var step = journey.Steps.First(s => s.Channels.Contains(channel));
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

        [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Journey {Journey} step {StepId} ({Channel}) of instance {InstanceId}: {Outcome}")]
        public static partial void StepRan(ILogger logger, string journey, string stepId, string channel, JourneyInstanceId instanceId, JourneyRecordKind outcome);

        [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Journey {Journey} step {StepId} of instance {InstanceId} threw {ExceptionType}; the step is recorded as failed. Stack trace: {StackTrace}")]
        public static partial void StepThrew(ILogger logger, string journey, string stepId, JourneyInstanceId instanceId, string exceptionType, string stackTrace);

        [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Journey {Journey} did not start: {Reason}")]
        public static partial void StartSuppressed(ILogger logger, string journey, string reason);

        [LoggerMessage(EventId = 112, Level = LogLevel.Error, Message = "Journey {Journey} instance {InstanceId} cannot run and is ended: {Reason}")]
        public static partial void CannotRun(ILogger logger, string journey, JourneyInstanceId instanceId, string reason);

        [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "Journey {Journey} step {StepId} of instance {InstanceId} ran but its claim was lost; another worker runs it again with the same idempotency key")]
        public static partial void ClaimLost(ILogger logger, Exception exception, string journey, string stepId, JourneyInstanceId instanceId);
    }
}
