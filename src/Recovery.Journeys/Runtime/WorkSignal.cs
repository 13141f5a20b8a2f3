using NodaTime;

namespace Recovery.Journeys.Runtime;

/// <summary>
/// Tells the due-step loop that this process just made work due (a trigger, a resumed wait), so that a loop waiting
/// on slow steps in flight looks at the store again at once instead of at its next timer; but only when that work is
/// due before the loop's timer, so that a shop publishing thousands of triggers a second (their steps due minutes
/// later) does not wake the loop thousands of times a second.
/// </summary>
/// <remarks>
/// Thread-safe. <see cref="Raise(Instant)"/> runs after every commit and costs one read when no one waits. A listener
/// registers before it reads the store's next wake-up, and wakes on anything until it says when its timer fires
/// (<see cref="Listener.WakeOnlyBefore"/>): so no work made due between the read and the wait is missed.
/// </remarks>
internal sealed class WorkSignal
{
    private readonly Lock _gate = new();
    private readonly List<Listener> _listeners = [];
    private int _count;

    /// <summary>Starts listening: the listener's task completes at the next raise; dispose it to stop.</summary>
    public Listener Listen()
    {
        var listener = new Listener(this);
        lock (_gate)
        {
            _listeners.Add(listener);
            Volatile.Write(ref _count, _listeners.Count);
        }

        return listener;
    }

    /// <summary>Wakes every listener: work is due now.</summary>
    public void Raise() => Raise(Instant.MinValue);

    /// <summary>Wakes the listeners whose timers fire after <paramref name="dueAt"/>, the instant the new work falls due.</summary>
    public void Raise(Instant dueAt)
    {
        if (Volatile.Read(ref _count) == 0)
        {
            return;
        }

        lock (_gate)
        {
            for (var i = _listeners.Count - 1; i >= 0; i--)
            {
                if (_listeners[i].WakesFor(dueAt))
                {
                    _listeners[i].Wake();
                    _listeners.RemoveAt(i);
                }
            }

            Volatile.Write(ref _count, _listeners.Count);
        }
    }

    private void Remove(Listener listener)
    {
        lock (_gate)
        {
            _listeners.Remove(listener);
            Volatile.Write(ref _count, _listeners.Count);
        }
    }

    /// <summary>One wait of the due-step loop.</summary>
    internal sealed class Listener(WorkSignal signal) : IDisposable
    {
        private readonly TaskCompletionSource _woken = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // Unix ticks of the instant the listener's timer fires; until it is set, any work wakes it.
        private long _timerTicks = long.MaxValue;

        /// <summary>Completes when work due before the listener's timer was made.</summary>
        public Task Task => _woken.Task;

        /// <summary>From now on, wakes only for work due before <paramref name="timer"/>, when the listener wakes anyway.</summary>
        public void WakeOnlyBefore(Instant timer) => Volatile.Write(ref _timerTicks, timer.ToUnixTimeTicks());

        public void Dispose() => signal.Remove(this);

        internal bool WakesFor(Instant dueAt) => dueAt.ToUnixTimeTicks() < Volatile.Read(ref _timerTicks);

        internal void Wake() => _woken.TrySetResult();
    }
}
