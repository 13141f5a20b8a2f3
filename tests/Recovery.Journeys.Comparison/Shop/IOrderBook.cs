namespace Recovery.Journeys.Comparison.Shop;

/// <summary>
/// The shop's orders table, where a payment is committed. Hangfire's S1 job reads it before each send (its docs'
/// way: the job checks whether the order is paid); the library and Wolverine learn of the payment by an event.
/// </summary>
public interface IOrderBook
{
    Task CreateAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>Commits the payment; returns once it is durable.</summary>
    Task MarkPaidAsync(string orderId, CancellationToken cancellationToken);

    Task<bool> IsPaidAsync(string orderId, CancellationToken cancellationToken);
}
