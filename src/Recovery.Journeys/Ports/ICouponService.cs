using Recovery.Journeys.Coupons;

namespace Recovery.Journeys.Ports;

/// <summary>
/// The host's coupon system: it creates personal codes that its checkout accepts, changes their discount and
/// revokes them. Without one, the library makes random, unguessable codes itself, but cannot make your checkout
/// accept or refuse them.
/// </summary>
/// <remarks>
/// Each call carries an idempotency key (<c>{instance}:{step}</c>) identical on retries: a service that remembers it
/// creates one coupon per step however often it is asked. Called concurrently; implementations must be thread-safe.
/// A throw is retried like a channel failure; <see cref="PermanentDeliveryException"/> is not retried.
/// </remarks>
public interface ICouponService
{
    /// <summary>Creates a personal coupon and returns its code.</summary>
    /// <param name="request">What to create, for whom, until when.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<string> IssueAsync(CouponRequest request, CancellationToken cancellationToken);

    /// <summary>Changes a coupon's discount (the offer was raised).</summary>
    /// <param name="coupon">The coupon with its new discount.</param>
    /// <param name="idempotencyKey">The raising step's key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask ChangeAsync(Coupon coupon, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Revokes a coupon: its code stops working.</summary>
    /// <param name="coupon">The coupon.</param>
    /// <param name="idempotencyKey">The revoking step's key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask RevokeAsync(Coupon coupon, string idempotencyKey, CancellationToken cancellationToken);
}
