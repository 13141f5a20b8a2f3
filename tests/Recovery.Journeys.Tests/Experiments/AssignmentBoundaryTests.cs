using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Experiments;

/// <summary>
/// Customers whose bucket falls exactly on a split get the side the docs give them: a variant or a holdout of w % takes
/// the buckets below its upper bound, not that bound. Buckets are computed here from the documented rule (SHA-256 of
/// <c>journey \n experiment \n customer</c>, first 8 bytes big-endian, modulo 10,000), not with the library's code.
/// </summary>
public sealed class AssignmentBoundaryTests
{
    private static readonly JourneyDefinition Rollout = Journey.When<CheckoutAbandoned>()
        .Named("checkout-recovery")
        .CorrelateBy(e => e.OrderId)
        .ForCustomer(e => e.Customer)
        .Holdout(10)
        .Experiment("email-timing", e => e
            .Variant("one-hour", 90, p => p.After(1.Hours()).Email(m => m.Subject("a").TextBody("a")))
            .Variant("twenty-minutes", 10, p => p.After(20.Minutes()).Email(m => m.Subject("b").TextBody("b"))))
        .Experiment("push-text", e => e
            .Variant("A", 30, p => p.Push(m => m.Body("a")))
            .Variant("B", 30, p => p.Push(m => m.Body("b")))
            .Variant("C", 40, p => p.Push(m => m.Body("c"))))
        .Build();

    [Theory]
    [InlineData(0, "one-hour")]
    [InlineData(8_999, "one-hour")]
    [InlineData(9_000, "twenty-minutes")]
    [InlineData(9_999, "twenty-minutes")]
    public void VariantOf_TwoVariants_SplitsAt90Percent(int bucket, string variant)
    {
        Rollout.VariantOf("email-timing", CustomerIn("email-timing", bucket)).Should().Be(variant);
    }

    [Theory]
    [InlineData(2_999, "A")]
    [InlineData(3_000, "B")]
    [InlineData(5_999, "B")]
    [InlineData(6_000, "C")]
    [InlineData(9_999, "C")]
    public void VariantOf_ThreeVariants_TakeTheBucketsInTheOrderDeclared(int bucket, string variant)
    {
        Rollout.VariantOf("push-text", CustomerIn("push-text", bucket)).Should().Be(variant);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(999, true)]
    [InlineData(1_000, false)]
    [InlineData(9_999, false)]
    public void IsInHoldout_TenPercent_IsTheBucketsBelow1000(int bucket, bool held)
    {
        Rollout.IsInHoldout(CustomerIn("holdout", bucket)).Should().Be(held);
    }

    /// <summary>The first customer id <c>customer-N</c> whose bucket for <paramref name="salt"/> is <paramref name="bucket"/>.</summary>
    private static string CustomerIn(string salt, int bucket)
    {
        for (var n = 0; n < 1_000_000; n++)
        {
            var customer = $"customer-{n}";
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"checkout-recovery\n{salt}\n{customer}"));
            if (BinaryPrimitives.ReadUInt64BigEndian(hash) % 10_000 == (ulong)bucket)
            {
                return customer;
            }
        }

        throw new InvalidOperationException($"No customer-N below 1,000,000 falls in bucket {bucket} of {salt}.");
    }
}
