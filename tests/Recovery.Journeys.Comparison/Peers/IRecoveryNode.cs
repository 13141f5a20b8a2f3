using Recovery.Journeys.Comparison.Shop;

namespace Recovery.Journeys.Comparison.Peers;

/// <summary>
/// One app instance running S1 with one framework: the shop's two calls (a checkout was abandoned, an order was paid)
/// and the worker that sends the reminders. The runs drive every framework through this, the same way.
/// </summary>
public interface IRecoveryNode : IAsyncDisposable
{
    /// <summary>Starts sending due reminders (a node may publish before it processes).</summary>
    Task StartProcessingAsync();

    Task AbandonAsync(CheckoutAbandoned checkout, CancellationToken cancellationToken = default);

    /// <summary>Pays the order as the shop would with this framework; returns once the payment is committed.</summary>
    Task PayAsync(OrderPaid payment, CancellationToken cancellationToken = default);

    /// <summary>Turns the order ids the node's channels record into the shop's (the library's channels see instance ids).</summary>
    string OrderIdOf(string recorded) => recorded;
}
