using NodaTime;

namespace Recovery.Journeys.Benchmarks.Shared;

/// <summary>
/// The real clock, moved forward on demand: a run publishes journeys now, then jumps past their due times so that
/// every step is due at once, and its timers (send timeouts) still run on real time.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public void Shift(Duration by) => Interlocked.Add(ref _offsetTicks, by.BclCompatibleTicks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, dueTime, period);

    public override long GetTimestamp() => System.GetTimestamp();

    public override long TimestampFrequency => System.TimestampFrequency;
}
