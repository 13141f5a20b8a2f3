using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Reports;
using Recovery.Journeys.Runtime.Steps;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Telemetry;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Runtime;

/// <summary>
/// Runs journeys: routes the host's events to them (start, exit, resume) and runs their due steps on one execution
/// path for every store: claim a due instance, run its step, commit the outcome and the next wake-up atomically.
/// </summary>
/// <remarks>
/// <para>
/// The engine orchestrates; the work is done by its parts, one concern each: the router (events), the due-step loop
/// (claims and commits), the instance lifecycle (every state transition), a runner per journey (carrying out steps),
/// and the previewer. See <c>docs/architecture.md</c>.
/// </para>
/// <para>
/// Thread-safe; one engine per process. In a hosted app, <c>AddRecoveryJourneys</c> registers it with a background
/// worker that runs due steps in real time; in tests, <c>JourneyTestHarness</c> drives it with a fake clock.
/// </para>
/// </remarks>
public sealed class JourneyEngine : IJourneyDispatcher
{
    private readonly JourneyCatalog _catalog;
    private readonly IJourneyStore _store;
    private readonly EventRouter _router;
    private readonly DueSteps _dueSteps;
    private readonly StepPreviewer _previewer;
    private readonly PausedJourneys _paused;
    private readonly TimeProvider _timeProvider;
    private readonly IJourneyScheduler? _scheduler;
    private readonly CommitEffects _effects;
    private readonly WorkSignal _work = new();
    private readonly RetentionPurge _retention;
    private long _lastRunDueTicks = -1;

    /// <summary>
    /// Creates an engine and checks that every journey can run with the host's services: a channel for each message
    /// kind, a customer directory and content providers where journeys need them.
    /// </summary>
    /// <param name="journeys">The journey definitions; several versions of one journey may be given.</param>
    /// <param name="store">Where instances and timelines are kept.</param>
    /// <param name="services">The host's channels and other ports.</param>
    /// <param name="timeProvider">The only time source the engine reads.</param>
    /// <param name="options">Settings, validated and copied (later changes to the object have no effect); the defaults when <see langword="null"/>.</param>
    /// <param name="scheduler">Told about new wake-ups; none when <see langword="null"/> (the caller runs <see cref="RunDueAsync"/>).</param>
    /// <param name="loggerFactory">Where to log; nothing when <see langword="null"/>.</param>
    /// <exception cref="JourneyDefinitionException">A journey is registered twice or cannot run with these services.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid; the message lists every failure.</exception>
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
        var settings = (options ?? new JourneyEngineOptions()).Validated();
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<JourneyEngine>();
        _catalog = new JourneyCatalog(journeys);
        _store = store;

        var parts = _catalog.All.SelectMany(j => j.Steps).OfType<ChannelStep>().SelectMany(s => s.Parts).ToList();
        var senders = new ChannelSenders(services.Channels, parts);
        StartupCheck.Run(_catalog.All, services, senders);
        var customerMessageChannels = parts.Where(p => StepKinds.Of(p.MessageType) == StepKind.CustomerMessage).Select(p => p.Channel).ToHashSet(StringComparer.Ordinal);
        var stepServices = new StepServices(services, senders, timeProvider, settings, store, customerMessageChannels);
        var runners = _catalog.All.ToDictionary(j => j, j => JourneyRunner.Create(j, stepServices));
        var effects = new CommitEffects(scheduler, _work, logger, JourneyMetrics.Create(services.MeterFactory));
        _effects = effects;
        _timeProvider = timeProvider;
        _scheduler = scheduler;
        _paused = new PausedJourneys(store, timeProvider);
        _router = new EventRouter(_catalog, runners, _paused, store, timeProvider, settings, effects, logger);
        _dueSteps = new DueSteps(_catalog, runners, store, timeProvider, settings, effects, _work, logger);
        _previewer = new StepPreviewer(_catalog, runners, timeProvider, settings);
        _retention = new RetentionPurge(store, timeProvider, settings.Retention);
    }

    /// <summary>Every journey definition the engine runs, every version.</summary>
    public IReadOnlyList<JourneyDefinition> Journeys => _catalog.All;

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
    public ValueTask<PublishResult> PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : class
    {
        if (@event is null)
        {
            // Reported by the task, as by the asynchronous method this was.
            return ValueTask.FromException<PublishResult>(new ArgumentNullException(nameof(@event)));
        }

        // Without a listener of the source there is no activity to start: the router's own task, without a method of
        // state around it.
        return JourneyTelemetry.Source.HasListeners() ? PublishTracedAsync(@event, cancellationToken) : _router.PublishAsync(@event, cancellationToken);
    }

    private async ValueTask<PublishResult> PublishTracedAsync(object @event, CancellationToken cancellationToken)
    {
        // The instances this event starts keep the activity's context, and their steps' activities link to it.
        using var activity = JourneyTelemetry.Source.StartActivity(JourneyTelemetry.PublishActivityName, System.Diagnostics.ActivityKind.Producer);
        activity?.SetTag(JourneyTelemetry.EventTypeTag, @event.GetType().Name);
        var result = await _router.PublishAsync(@event, cancellationToken).ConfigureAwait(false);
        activity?.SetTag(JourneyTelemetry.StartedTag, result.Started.Count);
        activity?.SetTag(JourneyTelemetry.EndedTag, result.Ended.Count);
        return result;
    }

    /// <summary>
    /// When a scheduler last asked this engine to run due steps (<see cref="RunDueAsync"/> or <see cref="RunInstanceAsync"/>),
    /// or <see langword="null"/> if none has yet: a worker's heartbeat, for health checks. The in-process scheduler asks
    /// at least once per poll interval, idle or not.
    /// </summary>
    public Instant? LastRunDueAt => Interlocked.Read(ref _lastRunDueTicks) is var ticks and >= 0 ? Instant.FromUnixTimeTicks(ticks) : null;

    /// <inheritdoc />
    public ValueTask<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        Beat();
        return _dueSteps.RunDueAsync(cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> RunInstanceAsync(JourneyInstanceId instanceId, CancellationToken cancellationToken = default)
    {
        Beat();
        return _dueSteps.RunInstanceAsync(instanceId, cancellationToken);
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
    /// revenue, experiments and holdout compared. See <see cref="JourneyReports.CreateAsync"/>.
    /// </summary>
    /// <param name="journeyName">The journey.</param>
    /// <param name="options">The period and the confidence level; every instance at 95 % when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentException">No journey has that name.</exception>
    public async ValueTask<JourneyReport> ReportAsync(string journeyName, JourneyReportOptions? options = null, CancellationToken cancellationToken = default)
    {
        var report = await JourneyReports.CreateAsync(_store, RequireJourney(journeyName), options, cancellationToken).ConfigureAwait(false);
        return _retention.CompleteSince() is { } since ? report with { CompleteSince = since } : report;
    }

    /// <summary>
    /// Removes finished instances (completed, converted, exited or failed, their exit actions done) that ended more than
    /// <see cref="JourneyEngineOptions.Retention"/> ago, with their timelines, in batches; the hosted worker runs it
    /// every <see cref="JourneyEngineOptions.PurgeInterval"/>. Each batch is one short write, so due steps run between
    /// batches. Does nothing when <see cref="JourneyEngineOptions.Retention"/> is <see langword="null"/>.
    /// </summary>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>How many instances were removed.</returns>
    public ValueTask<int> PurgeAsync(CancellationToken cancellationToken = default) => _retention.PurgeAsync(cancellationToken);

    /// <summary>
    /// Pauses a journey (every version), for every worker that shares the store: no step of its instances runs until it
    /// resumes (a step already running finishes). New triggers still start instances, whose steps are held too, unless
    /// <paramref name="admitNewInstances"/> is false: then they are suppressed.
    /// </summary>
    /// <param name="journeyName">The journey.</param>
    /// <param name="admitNewInstances">Whether triggers still start instances while it is paused.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">No journey has that name.</exception>
    public async ValueTask PauseAsync(string journeyName, bool admitNewInstances = true, CancellationToken cancellationToken = default)
    {
        RequireJourney(journeyName);
        await _store.SetPauseAsync(new JourneyPause(journeyName, _timeProvider.GetCurrentInstant(), admitNewInstances), cancellationToken).ConfigureAwait(false);
        _paused.Invalidate();
    }

    /// <summary>
    /// Resumes a paused journey. The steps it held are due at once; each held instance's timeline says from when to when
    /// it was held, and a held step still obeys its lateness limit (<c>SkipIfLaterThan</c>).
    /// </summary>
    /// <param name="journeyName">The journey.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether the journey was paused.</returns>
    /// <exception cref="ArgumentException">No journey has that name.</exception>
    public async ValueTask<bool> ResumeAsync(string journeyName, CancellationToken cancellationToken = default)
    {
        RequireJourney(journeyName);
        var now = _timeProvider.GetCurrentInstant();
        var ended = await _store.ClearPauseAsync(journeyName, now, cancellationToken).ConfigureAwait(false);
        _paused.Invalidate();
        if (ended is null)
        {
            return false;
        }

        _work.Raise();
        foreach (var held in ended.HeldInstances)
        {
            await (_scheduler?.ScheduleAsync(held, now, cancellationToken) ?? ValueTask.CompletedTask).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Returns the journeys paused now, as the store has them.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public ValueTask<IReadOnlyList<JourneyPause>> GetPausesAsync(CancellationToken cancellationToken = default) =>
        _store.GetPausesAsync(cancellationToken);

    /// <summary>
    /// Ends an active instance early, as an operator's decision: it exits (not a conversion) with the reason on its
    /// timeline, its pending steps never run, and the journey's exit actions (<c>OnExit</c>) run as for any exit. A step
    /// running at that moment finishes first.
    /// </summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="reason">Why, in words, for the timeline (<c>cancelled by alice: customer called</c>).</param>
    /// <param name="cancellationToken">Cancels the wait and the write.</param>
    /// <returns>Whether the instance was active and is now ended; <see langword="false"/> when it is unknown or had already ended.</returns>
    public async ValueTask<bool> CancelInstanceAsync(JourneyInstanceId instanceId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (await _store.GetAsync(instanceId, cancellationToken).ConfigureAwait(false) is not { IsActive: true } found)
        {
            return false;
        }

        // The store finds the active instance by its key; it may be another instance by now (the found one ended and a
        // new one started), which is left alone.
        var now = _timeProvider.GetCurrentInstant();
        var ended = await _store.UpdateActiveAsync(
            found.JourneyName,
            found.CorrelationKey,
            active => active.Id == instanceId && active.IsActive
                ? InstanceLifecycle.Exit(_catalog.Find(active.JourneyName, active.JourneyVersion) ?? RequireJourney(active.JourneyName), active, now, reason)
                : null,
            cancellationToken).ConfigureAwait(false);
        if (ended is null)
        {
            return false;
        }

        await _effects.AfterCommitAsync(ended.Instance, wasActive: true, cancellationToken).ConfigureAwait(false);
        return true;
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
    public ValueTask<StepPreview> PreviewAsync(string journeyName, string stepId, object sampleEvent, Customer? customer = null, CancellationToken cancellationToken = default) =>
        _previewer.PreviewAsync(journeyName, stepId, sampleEvent, customer, cancellationToken);

    private void Beat() => Interlocked.Exchange(ref _lastRunDueTicks, _timeProvider.GetCurrentInstant().ToUnixTimeTicks());

    private JourneyDefinition RequireJourney(string journeyName) =>
        _catalog.LatestOf(journeyName ?? throw new ArgumentNullException(nameof(journeyName)))
            ?? throw new ArgumentException($"No journey is named '{journeyName}'.", nameof(journeyName));
}
