using NodaTime;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> that only moves when a test advances it. Advancing fires every due timer and runs
/// every due journey step at its own due instant, in due order, with the clock reading that instant meanwhile:
/// advancing 24 hours runs the 5-minute step at 00:05, not at 24:00.
/// </summary>
/// <remarks>
/// Thread-safe. Timer callbacks and journey work run on the thread that advances the clock, one at a time; advance
/// from one thread at a time. <see cref="LocalTimeZone"/> is UTC.
/// </remarks>
public sealed class FakeClock : TimeProvider
{
    /// <summary>Where a clock starts when no start is given: Monday 5 January 2026, 09:00 UTC.</summary>
    public static readonly Instant DefaultStart = Instant.FromUtc(2026, 1, 5, 9, 0);

    private readonly Lock _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private readonly List<IJourneyDispatcher> _dispatchers = [];
    private readonly Instant _origin;
    private Instant _now;

    /// <summary>Creates a clock reading <paramref name="start"/>, or <see cref="DefaultStart"/>.</summary>
    /// <param name="start">The initial instant.</param>
    public FakeClock(Instant? start = null)
    {
        _now = start ?? DefaultStart;
        _origin = _now;
    }

    /// <summary>The current instant.</summary>
    public Instant Now
    {
        get
        {
            lock (_gate)
            {
                return _now;
            }
        }
    }

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Now.ToDateTimeOffset();

    /// <inheritdoc />
    public override long GetTimestamp() => (Now - _origin).BclCompatibleTicks;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// Lets the clock run <paramref name="dispatcher"/>'s due work (a <c>JourneyEngine</c>) as it advances.
    /// </summary>
    /// <param name="dispatcher">The engine.</param>
    /// <returns>Disposing it stops the clock from driving the dispatcher.</returns>
    public IDisposable Drive(IJourneyDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        lock (_gate)
        {
            _dispatchers.Add(dispatcher);
        }

        return new Unsubscriber(() =>
        {
            lock (_gate)
            {
                _dispatchers.Remove(dispatcher);
            }
        });
    }

    /// <summary>Moves the clock forward by <paramref name="duration"/>, running all due timers and journey steps on the way.</summary>
    /// <param name="duration">How far to move; zero runs what is due now.</param>
    /// <param name="cancellationToken">Stops between two due instants.</param>
    public Task AdvanceAsync(Duration duration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, Duration.Zero);
        return AdvanceToAsync(Now + duration, cancellationToken);
    }

    /// <summary>Moves the clock forward by <paramref name="duration"/>, running all due timers and journey steps on the way.</summary>
    /// <param name="duration">How far to move; zero runs what is due now.</param>
    /// <param name="cancellationToken">Stops between two due instants.</param>
    public Task AdvanceAsync(TimeSpan duration, CancellationToken cancellationToken = default) => AdvanceAsync(Duration.FromTimeSpan(duration), cancellationToken);

    /// <summary>Moves the clock forward to <paramref name="target"/>, running all due timers and journey steps on the way.</summary>
    /// <param name="target">The instant to reach; not before <see cref="Now"/>.</param>
    /// <param name="cancellationToken">Stops between two due instants.</param>
    public async Task AdvanceToAsync(Instant target, CancellationToken cancellationToken = default)
    {
        if (target < Now)
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, $"The clock only moves forward; it reads {Now}.");
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Instant? next = NextTimerDue();
            foreach (var dispatcher in Dispatchers())
            {
                var due = await dispatcher.GetNextWakeUpAsync(cancellationToken).ConfigureAwait(false);
                next = due is { } d && (next is null || d < next) ? d : next;
            }

            if (next is not { } step || step > target)
            {
                break;
            }

            await RunAtAsync(Instant.Max(step, Now), cancellationToken).ConfigureAwait(false);
        }

        await RunAtAsync(target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves the clock forward and fires due timers, but does not run journey steps: they stay due until the next
    /// <see cref="AdvanceAsync(Duration, CancellationToken)"/> or <see cref="RunDueAsync"/>. Useful to put an event between a step becoming due and its run.
    /// </summary>
    /// <param name="duration">How far to move.</param>
    public void Advance(Duration duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, Duration.Zero);
        var target = Now + duration;
        while (NextTimerDue() is { } due && due <= target)
        {
            SetNow(Instant.Max(due, Now));
            FireDueTimers();
        }

        SetNow(target);
        FireDueTimers();
    }

    /// <summary>Moves the clock forward and fires due timers, but does not run journey steps (see <see cref="Advance(Duration)"/>).</summary>
    /// <param name="duration">How far to move.</param>
    public void Advance(TimeSpan duration) => Advance(Duration.FromTimeSpan(duration));

    /// <summary>Runs the timers and journey steps due at the current instant, without moving the clock.</summary>
    /// <param name="cancellationToken">Cancels the run.</param>
    public Task RunDueAsync(CancellationToken cancellationToken = default) => RunAtAsync(Now, cancellationToken);

    private async Task RunAtAsync(Instant instant, CancellationToken cancellationToken)
    {
        SetNow(instant);
        FireDueTimers();
        foreach (var dispatcher in Dispatchers())
        {
            await dispatcher.RunDueAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void SetNow(Instant instant)
    {
        lock (_gate)
        {
            _now = Instant.Max(_now, instant);
        }
    }

    private IJourneyDispatcher[] Dispatchers()
    {
        lock (_gate)
        {
            return [.. _dispatchers];
        }
    }

    private Instant? NextTimerDue()
    {
        lock (_gate)
        {
            Instant? next = null;
            foreach (var timer in _timers)
            {
                if (timer.DueAt is { } due && (next is null || due < next))
                {
                    next = due;
                }
            }

            return next;
        }
    }

    private void FireDueTimers()
    {
        while (true)
        {
            FakeTimer? timer;
            lock (_gate)
            {
                // Earliest first; ties in creation order.
                timer = null;
                foreach (var candidate in _timers)
                {
                    if (candidate.DueAt is { } due && due <= _now && (timer is null || due < timer.DueAt))
                    {
                        timer = candidate;
                    }
                }

                if (timer is null)
                {
                    return;
                }

                timer.DueAt = timer.Period is { } period ? timer.DueAt + period : null;
            }

            timer.Fire();
        }
    }

    private void Register(FakeTimer timer, Instant? dueAt, Duration? period)
    {
        lock (_gate)
        {
            timer.DueAt = dueAt is null ? null : Instant.Max(dueAt.Value, _now);
            timer.Period = period;
            if (!_timers.Contains(timer))
            {
                _timers.Add(timer);
            }
        }
    }

    private void Remove(FakeTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class FakeTimer(FakeClock clock, TimerCallback callback, object? state) : ITimer
    {
        private bool _disposed;

        public Instant? DueAt { get; set; }

        public Duration? Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (_disposed)
            {
                return false;
            }

            Instant? dueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock.Now + Duration.FromTimeSpan(dueTime);
            Duration? every = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : Duration.FromTimeSpan(period);
            clock.Register(this, dueAt, every);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            _disposed = true;
            clock.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Unsubscriber(Action unsubscribe) : IDisposable
    {
        public void Dispose() => unsubscribe();
    }
}
