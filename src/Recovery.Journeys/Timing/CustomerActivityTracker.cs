using System.Collections.Concurrent;
using NodaTime;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Timing;

/// <summary>
/// Remembers each customer's last activity in process memory, fed by the host (<see cref="Record"/> on each page
/// view). Fits a single-instance shop; a cluster should answer from its shared session store instead.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class CustomerActivityTracker : ICustomerActivity
{
    private readonly ConcurrentDictionary<string, Instant> _lastActive = new(StringComparer.Ordinal);

    /// <summary>Records that the customer was active at <paramref name="at"/>; an earlier instant than the one known changes nothing.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="at">When.</param>
    public void Record(string customerId, Instant at)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        _lastActive.AddOrUpdate(customerId, at, (_, known) => Instant.Max(known, at));
    }

    /// <inheritdoc />
    public ValueTask<Instant?> LastActiveAtAsync(string customerId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_lastActive.TryGetValue(customerId, out var at) ? at : (Instant?)null);
}
