using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using Quartz;
using Recovery.Journeys.Adapters;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Quartz;

/// <summary>
/// Schedules journey wake-ups on Quartz.NET: each journey instance has one Quartz job and one one-shot trigger, both
/// named by the instance id, at its next step's due time. With a clustered Quartz (ADO job store), a wake-up fires on
/// one node of the cluster, whichever Quartz picks, and runs the step there through that node's engine.
/// </summary>
/// <remarks>
/// <para>
/// The journey store stays the source of truth. A fired trigger only asks the engine to run the instance's step if it
/// is due and not held (<see cref="IJourneyDispatcher.RunInstanceAsync"/>): a trigger that fires for a step another
/// node already ran, or for an instance that ended, does nothing. So the store's claims, not Quartz, make each step
/// run once; the store must be shared by every node (the PostgreSQL store).
/// </para>
/// <para>
/// A wake-up is given to Quartz after the store committed it. A crash in between, or Quartz's database failing at
/// that moment, loses it; so <see cref="RunAsync"/> sweeps the store for due steps as it starts and every
/// <see cref="QuartzJourneySchedulerOptions.ReconciliationInterval"/>, and runs them. Scheduling failures are logged,
/// not thrown: the store's commit stands, and the sweep runs the step.
/// </para>
/// <para>
/// Should Quartz fire a trigger before its time, the job waits for the due time, so a step never runs before it (the
/// store would refuse to claim it early, and the wake-up would be left to the sweep). A trigger that misfires (every node down or busy past
/// Quartz's misfire threshold) fires as soon as a node can. The job requests recovery, so a node that dies while
/// running one has it fired again on another node, and the step's claim, released by the death, is taken again with
/// the same idempotency key.
/// </para>
/// <para>Thread-safe. <see cref="RunAsync"/> runs once at a time.</para>
/// </remarks>
public sealed partial class QuartzJourneyScheduler : IJourneyScheduler
{
    private readonly ISchedulerFactory _schedulerFactory;
    private readonly QuartzJourneySchedulerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private TaskCompletionSource<IJourneyDispatcher> _dispatcher = NewDispatcherSignal();
    private int _running;

    /// <summary>Creates the scheduler; the Quartz scheduler is looked up on first use.</summary>
    /// <param name="schedulerFactory">Quartz's factory (registered by <c>services.AddQuartz(...)</c>).</param>
    /// <param name="options">Its settings (<c>new QuartzJourneySchedulerOptions()</c> for the defaults); copied, so later changes to the object have no effect.</param>
    /// <param name="timeProvider">The scheduler's clock: it times the reconciliation sweeps and the wait of a trigger fired early.</param>
    /// <param name="loggerFactory">Where to log; nowhere when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the exception lists every problem.</exception>
    public QuartzJourneyScheduler(
        ISchedulerFactory schedulerFactory,
        QuartzJourneySchedulerOptions options,
        TimeProvider timeProvider,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(schedulerFactory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = AdapterOptions.ValidatedCopy(options, new QuartzJourneySchedulerOptionsValidator(), o => o.Copy());
        _schedulerFactory = schedulerFactory;
        _timeProvider = timeProvider;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<QuartzJourneyScheduler>();
    }

    /// <summary>The scheduler's own copy of its options.</summary>
    internal QuartzJourneySchedulerOptions Options => _options;

    /// <summary>The Quartz key of an instance's wake-up trigger (its job has the same name and group).</summary>
    /// <param name="instanceId">The journey instance.</param>
    /// <returns>The trigger's key.</returns>
    public TriggerKey TriggerKeyOf(JourneyInstanceId instanceId) => new(instanceId.ToString(), _options.Group);

    /// <inheritdoc />
    /// <remarks>
    /// Stores (or replaces) the instance's job and its one-shot trigger at <paramref name="wakeUpAt"/>, rounded up to the
    /// millisecond. A failure is logged, not thrown: the reconciliation sweep runs the step.
    /// </remarks>
    public async ValueTask ScheduleAsync(JourneyInstanceId instanceId, Instant wakeUpAt, CancellationToken cancellationToken)
    {
        try
        {
            var scheduler = await GetSchedulerAsync(cancellationToken).ConfigureAwait(false);
            var key = instanceId.ToString();
            var job = JobBuilder.Create<JourneyWakeUpJob>()
                .WithIdentity(key, _options.Group)
                .RequestRecovery(true)
                .Build();
            var trigger = TriggerBuilder.Create(_timeProvider)
                .WithIdentity(key, _options.Group)
                .ForJob(job)
                .StartAt(FireTimeOf(wakeUpAt))
                .WithSimpleSchedule(schedule => schedule.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                .Build();
            await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions { Replace = true }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.ScheduleFailed(_logger, e, instanceId, wakeUpAt.ToDateTimeOffset(), _options.ReconciliationInterval.ToTimeSpan());
        }
    }

    /// <inheritdoc />
    /// <remarks>Removes the instance's trigger (and so its job). A failure is logged, not thrown: a trigger left behind fires and finds nothing to run.</remarks>
    public async ValueTask CancelAsync(JourneyInstanceId instanceId, CancellationToken cancellationToken)
    {
        try
        {
            var scheduler = await GetSchedulerAsync(cancellationToken).ConfigureAwait(false);
            await scheduler.UnscheduleJob(TriggerKeyOf(instanceId), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.CancelFailed(_logger, e, instanceId);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Lends <paramref name="dispatcher"/> to the wake-up jobs this node's Quartz fires, and runs the reconciliation
    /// sweep (<see cref="IJourneyDispatcher.RunDueAsync"/>) now and every
    /// <see cref="QuartzJourneySchedulerOptions.ReconciliationInterval"/>. It does not start or stop Quartz: the
    /// shop's Quartz hosting does (<c>services.AddQuartzHostedService()</c>).
    /// </remarks>
    public async Task RunAsync(IJourneyDispatcher dispatcher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("This QuartzJourneyScheduler is already running.");
        }

        lock (_gate)
        {
            _dispatcher.TrySetResult(dispatcher);
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    var ran = await dispatcher.RunDueAsync(cancellationToken).ConfigureAwait(false);
                    if (ran > 0)
                    {
                        Log.SweepRan(_logger, ran);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    Log.SweepFailed(_logger, e, _options.ReconciliationInterval.ToTimeSpan());
                }

                await Task.Delay(_options.ReconciliationInterval.ToTimeSpan(), _timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            lock (_gate)
            {
                _dispatcher = NewDispatcherSignal();
            }

            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>What a fired wake-up job does: waits for the due time and the engine, then runs the instance's step if it is due.</summary>
    internal async ValueTask RunWakeUpAsync(JourneyInstanceId instanceId, DateTimeOffset? scheduledFireTime, CancellationToken cancellationToken)
    {
        // A trigger fired ahead of its time must wait: the store refuses an early claim, and the wake-up would be lost.
        if (scheduledFireTime is { } due && due - _timeProvider.GetUtcNow() is { Ticks: > 0 } early)
        {
            await Task.Delay(early, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        Task<IJourneyDispatcher> running;
        lock (_gate)
        {
            running = _dispatcher.Task;
        }

        IJourneyDispatcher dispatcher;
        try
        {
            dispatcher = await running.WaitAsync(_options.EngineStartTimeout.ToTimeSpan(), _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.EngineNotRunning(_logger, instanceId, _options.EngineStartTimeout.ToTimeSpan());
            return;
        }

        if (!await dispatcher.RunInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false))
        {
            Log.NothingToRun(_logger, instanceId);
        }
    }

    private async ValueTask<IScheduler> GetSchedulerAsync(CancellationToken cancellationToken)
    {
        if (_options.SchedulerName is not { } name)
        {
            return await _schedulerFactory.GetScheduler(cancellationToken).ConfigureAwait(false);
        }

        return await _schedulerFactory.LookupScheduler(name, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"No Quartz scheduler is named '{name}' (QuartzJourneySchedulerOptions.SchedulerName): register it with services.AddQuartz(\"{name}\", ...).");
    }

    /// <summary>The due instant, rounded up to the millisecond, so that a store that keeps milliseconds never fires before it.</summary>
    private static DateTimeOffset FireTimeOf(Instant wakeUpAt)
    {
        var ticks = wakeUpAt.ToUnixTimeTicks();
        var remainder = ticks % TimeSpan.TicksPerMillisecond;
        var rounded = remainder == 0 ? ticks : ticks - remainder + TimeSpan.TicksPerMillisecond;
        return Instant.FromUnixTimeTicks(rounded).ToDateTimeOffset();
    }

    private static TaskCompletionSource<IJourneyDispatcher> NewDispatcherSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "Could not schedule the Quartz wake-up of journey instance {InstanceId} at {WakeUpAt}; the reconciliation sweep runs it within {Interval} of that time")]
        public static partial void ScheduleFailed(ILogger logger, Exception exception, JourneyInstanceId instanceId, DateTimeOffset wakeUpAt, TimeSpan interval);

        [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Could not remove the Quartz wake-up of ended journey instance {InstanceId}; it will fire and find nothing to run")]
        public static partial void CancelFailed(ILogger logger, Exception exception, JourneyInstanceId instanceId);

        [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "The reconciliation sweep ran {Steps} due journey steps that no Quartz trigger had run yet")]
        public static partial void SweepRan(ILogger logger, int steps);

        [LoggerMessage(EventId = 703, Level = LogLevel.Error, Message = "The journey reconciliation sweep failed; trying again in {Interval}")]
        public static partial void SweepFailed(ILogger logger, Exception exception, TimeSpan interval);

        [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "A Quartz wake-up of journey instance {InstanceId} fired, but this app instance's journey engine did not start within {Timeout}; the reconciliation sweep runs the step")]
        public static partial void EngineNotRunning(ILogger logger, JourneyInstanceId instanceId, TimeSpan timeout);

        [LoggerMessage(EventId = 705, Level = LogLevel.Debug, Message = "A Quartz wake-up of journey instance {InstanceId} fired with nothing to run: the step already ran, the instance ended, or another worker holds it")]
        public static partial void NothingToRun(ILogger logger, JourneyInstanceId instanceId);
    }
}
