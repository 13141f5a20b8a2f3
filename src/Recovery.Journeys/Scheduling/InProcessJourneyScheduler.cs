using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Scheduling;

/// <summary>
/// Runs due steps in this process: sleeps until the next wake-up the store reports, and wakes early when the
/// engine schedules something earlier. A step due at T runs right after T (timer resolution: about a
/// millisecond), never before.
/// </summary>
/// <remarks>Thread-safe. <see cref="RunAsync"/> runs one loop at a time.</remarks>
public sealed partial class InProcessJourneyScheduler : IJourneyScheduler
{
    private readonly TimeProvider _timeProvider;
    private readonly InProcessSchedulerOptions _options;
    private readonly ILogger _logger;
    private readonly IJourneyWakeUpSource? _wakeUpSource;
    private readonly Lock _gate = new();
    private TaskCompletionSource _wake = NewSignal();
    private Instant? _sleepingUntil;
    private int _running;

    /// <summary>Creates the scheduler.</summary>
    /// <param name="timeProvider">The time source.</param>
    /// <param name="options">Its settings, validated and copied; the defaults when <see langword="null"/>.</param>
    /// <param name="wakeUpSource">
    /// Listened to while <see cref="RunAsync"/> runs (usually the store, when it implements
    /// <see cref="IJourneyWakeUpSource"/>), so that work another process makes due wakes it at once; none when
    /// <see langword="null"/>, and then only polling sees other processes' work.
    /// </param>
    /// <param name="loggerFactory">Where to log; nothing when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the message lists every failure.</exception>
    public InProcessJourneyScheduler(
        TimeProvider timeProvider,
        InProcessSchedulerOptions? options = null,
        IJourneyWakeUpSource? wakeUpSource = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _options = (options ?? new InProcessSchedulerOptions()).Validated();
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<InProcessJourneyScheduler>();
        _wakeUpSource = wakeUpSource;
    }

    /// <inheritdoc />
    public ValueTask ScheduleAsync(JourneyInstanceId instanceId, Instant wakeUpAt, CancellationToken cancellationToken)
    {
        WakeIfEarlier(wakeUpAt);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask CancelAsync(JourneyInstanceId instanceId, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async Task RunAsync(IJourneyDispatcher dispatcher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("This InProcessJourneyScheduler is already running.");
        }

        using var stopListening = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var listening = ListenAsync(stopListening.Token);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Task wake;
                lock (_gate)
                {
                    _sleepingUntil = null;
                    if (_wake.Task.IsCompleted)
                    {
                        _wake = NewSignal();
                    }

                    wake = _wake.Task;
                }

                try
                {
                    await dispatcher.RunDueAsync(cancellationToken).ConfigureAwait(false);
                    var next = await dispatcher.GetNextWakeUpAsync(cancellationToken).ConfigureAwait(false);
                    var now = _timeProvider.GetCurrentInstant();
                    var sleep = next is { } due ? Duration.Min(due - now, _options.PollInterval) : _options.PollInterval;
                    if (sleep <= Duration.Zero)
                    {
                        continue;
                    }

                    lock (_gate)
                    {
                        _sleepingUntil = now + sleep;
                    }

                    await SleepAsync(sleep, wake, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    Log.LoopFailed(_logger, e, _options.ErrorBackoff.ToTimeSpan());
                    await SleepAsync(_options.ErrorBackoff, wake: null, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await stopListening.CancelAsync().ConfigureAwait(false);
            await listening.ConfigureAwait(false);
            Volatile.Write(ref _running, 0);
        }
    }

    private void WakeIfEarlier(Instant wakeUpAt)
    {
        lock (_gate)
        {
            // While awake (_sleepingUntil is null) any new work may be earlier than what the loop will read next.
            if (_sleepingUntil is not { } until || wakeUpAt < until)
            {
                _wake.TrySetResult();
            }
        }
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        if (_wakeUpSource is null)
        {
            return;
        }

        try
        {
            // Yield first so that a source that listens synchronously cannot hold up the scheduling loop.
            await Task.Yield();
            await _wakeUpSource.ListenAsync(WakeIfEarlier, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Polling still finds the work; only the early wake-ups are lost.
            Log.ListeningFailed(_logger, e, _options.PollInterval.ToTimeSpan());
        }
    }

    private async Task SleepAsync(Duration duration, Task? wake, CancellationToken cancellationToken)
    {
        using var stopSleeping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timer = Task.Delay(duration.ToTimeSpanCeiling(), _timeProvider, stopSleeping.Token);
        await (wake is null ? timer : Task.WhenAny(timer, wake)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await stopSleeping.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Error, Message = "The journey scheduler loop failed; retrying in {Backoff}")]
        public static partial void LoopFailed(ILogger logger, Exception exception, TimeSpan backoff);

        [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "The journey scheduler stopped listening for work from other processes; it now sees it only every {PollInterval}")]
        public static partial void ListeningFailed(ILogger logger, Exception exception, TimeSpan pollInterval);
    }
}
