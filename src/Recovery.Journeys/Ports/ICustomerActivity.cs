using NodaTime;
using Recovery.Journeys.Timing;

namespace Recovery.Journeys.Ports;

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
