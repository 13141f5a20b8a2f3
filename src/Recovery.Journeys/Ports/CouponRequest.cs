using NodaTime;
using Recovery.Journeys.Coupons;
using Recovery.Journeys.Customers;

namespace Recovery.Journeys.Ports;

/// <summary>A coupon to create.</summary>
/// <param name="Name">The offer's name (<c>RELANCE-20</c>), the same for every customer.</param>
/// <param name="Discount">The discount.</param>
/// <param name="ExpiresAt">When the code stops working.</param>
/// <param name="Customer">The only customer who may use it.</param>
/// <param name="JourneyName">The journey issuing it.</param>
/// <param name="IdempotencyKey">Identical on every retry of the issuing step.</param>
public sealed record CouponRequest(string Name, CouponDiscount Discount, Instant ExpiresAt, Customer Customer, string JourneyName, string IdempotencyKey);
