using System.Collections.Concurrent;
using NodaTime;

namespace Recovery.Journeys.Rules;

/// <summary>
/// Tells when a customer was last active on the shop (a page view, a cart change), for journeys that hold their
/// messages while the customer is still browsing (<c>WaitWhileActive</c>). Implemented by the host, which knows its
/// sessions; <see cref="CustomerActivityTracker"/> is a ready-made in-process one.
/// </summary>
/// <remarks>Called concurrently; implementations must be thread-safe.</remarks>
public interface ICustomerActivity
{
    /// <summary>When the customer was last active, or <see langword="null"/> when unknown.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    ValueTask<Instant?> LastActiveAtAsync(string customerId, CancellationToken cancellationToken);
}

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
