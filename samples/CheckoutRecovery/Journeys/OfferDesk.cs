using System.Collections.Concurrent;

namespace CheckoutRecovery.Journeys;

/// <summary>
/// The shop's promotion service as the journey sees it. It keeps the live figure of the social proof ("1 234
/// utilisateurs ont profité de cette offre"): how many abandoned orders the journey has recovered so far, counted
/// when publishing <c>OrderPaid</c> ended a journey instance. And it expires an order's EXTRA10 coupon when the last
/// push's 30 minutes are over.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class OfferDesk
{
    private readonly ConcurrentDictionary<string, bool> _expiredExtraOffers = new(StringComparer.Ordinal);
    private long _recoveredOrders;

    /// <summary>How many orders the journey has recovered so far.</summary>
    public long RecoveredOrders => Interlocked.Read(ref _recoveredOrders);

    /// <summary>How many EXTRA10 coupons have expired.</summary>
    public int ExpiredExtraOffers => _expiredExtraOffers.Count;

    /// <summary>Counts one recovered order.</summary>
    public void RecordRecoveredOrder() => Interlocked.Increment(ref _recoveredOrders);

    /// <summary>Whether an order's EXTRA10 coupon has expired.</summary>
    /// <param name="orderId">The order.</param>
    public bool IsExtraOfferExpired(string orderId) => _expiredExtraOffers.ContainsKey(orderId);

    /// <summary>Expires an order's EXTRA10 coupon. Idempotent: expiring it twice changes nothing.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public ValueTask ExpireExtraOfferAsync(string orderId, CancellationToken cancellationToken)
    {
        _expiredExtraOffers.TryAdd(orderId, true);
        return ValueTask.CompletedTask;
    }
}
