using NodaTime;
using Recovery.Journeys.Scheduling;

namespace Recovery.Journeys.Ports;

/// <summary>
/// Tells a scheduler that another process made work due, so it need not wait for its next poll. A store that several
/// processes share implements it (the PostgreSQL store listens with <c>LISTEN/NOTIFY</c>); the in-process scheduler
/// listens to the registered store when the store implements it.
/// </summary>
/// <remarks>
/// A signal is only a hint to look at the store now: a lost or late signal delays work until the scheduler's next poll
/// (<see cref="InProcessSchedulerOptions.PollInterval"/>), and an extra one costs one look. Implementations must be
/// thread-safe.
/// </remarks>
public interface IJourneyWakeUpSource
{
    /// <summary>
    /// Listens until <paramref name="cancellationToken"/> is cancelled, calling <paramref name="wakeUp"/> with the instant
    /// at which new work is due each time another process writes some. An instant at or before now means "look now",
    /// as after a reconnection, when signals may have been missed.
    /// </summary>
    /// <param name="wakeUp">Called with the due instant; quick and non-blocking. May be called from any thread.</param>
    /// <param name="cancellationToken">Stops listening.</param>
    /// <returns>A task that ends when listening stops; it handles reconnections itself and fails only on a fatal error.</returns>
    Task ListenAsync(Action<Instant> wakeUp, CancellationToken cancellationToken);
}
