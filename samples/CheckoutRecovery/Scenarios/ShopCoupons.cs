using System.Globalization;
using Recovery.Journeys.Coupons;
using Recovery.Journeys.Ports;

namespace CheckoutRecovery.Scenarios;

/// <summary>
/// The shop's coupon book in S5: the journey's coupons are created here, so the checkout accepts them, and stop
/// working when revoked. One coupon per idempotency key, as a real service must, since a step may be retried.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class ShopCoupons : ICouponService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _byKey = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usable = new(StringComparer.Ordinal);
    private int _revoked;

    /// <summary>A line for the end of the run: issued, revoked, still usable.</summary>
    public string Summary
    {
        get
        {
            lock (_gate)
            {
                return $"coupons: {_byKey.Count} issued, {_revoked} revoked, {_usable.Count} still usable";
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<string> IssueAsync(CouponRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            if (!_byKey.TryGetValue(request.IdempotencyKey, out var code))
            {
                code = $"{request.Name.Replace("-", string.Empty, StringComparison.Ordinal)}-{(_byKey.Count + 1).ToString("000000", CultureInfo.InvariantCulture)}";
                _byKey[request.IdempotencyKey] = code;
                _usable.Add(code);
            }

            return ValueTask.FromResult(code);
        }
    }

    /// <inheritdoc />
    public ValueTask ChangeAsync(Coupon coupon, string idempotencyKey, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask RevokeAsync(Coupon coupon, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coupon);
        lock (_gate)
        {
            if (_usable.Remove(coupon.Code))
            {
                _revoked++;
            }
        }

        return ValueTask.CompletedTask;
    }
}
