using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Experiments;

/// <summary>What an experiment's variants may be, at their limits.</summary>
public sealed class ExperimentBuilderTests
{
    private static JourneyBuilder<CheckoutAbandoned> Checkout() =>
        Journey.When<CheckoutAbandoned>().Named("checkout-recovery").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer);

    [Fact]
    public void Variant_WeightsOf1And99_AreTheLimitsAccepted()
    {
        var journey = Checkout()
            .Experiment("rollout", e => e.Variant("few", 1, p => p.Push(m => m.Body("a"))).Variant("most", 99, p => p.Push(m => m.Body("b"))))
            .Build();

        journey.Steps.Should().Contain(s => s.Id == "rollout");
        FluentActions.Invoking(() => Checkout().Experiment("rollout", e => e.Variant("none", 0, p => p.Push(m => m.Body("a")))))
            .Should().Throw<JourneyDefinitionException>().WithMessage("*the variant 'none' has a weight of 0 %; a weight is a share of customers from 1 to 99 %");
        FluentActions.Invoking(() => Checkout().Experiment("rollout", e => e.Variant("all", 100, p => p.Push(m => m.Body("a")))))
            .Should().Throw<JourneyDefinitionException>().WithMessage("*the variant 'all' has a weight of 100 %*");
    }

    [Fact]
    public void Variant_APathEndingWithATiming_FailsAsAnyPathDoes()
    {
        FluentActions.Invoking(() => Checkout()
                .Experiment("timing", e => e.Variant("late", 50, p => p.After(1.Hours())).Variant("now", 50, p => p.Push(m => m.Body("a")))))
            .Should().Throw<JourneyDefinitionException>().WithMessage("*After(1h) at the end of a path is not followed by a step");
    }
}
