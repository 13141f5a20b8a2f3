using NodaTime;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Timing;

namespace Recovery.Journeys.Tests;

/// <summary>
/// Every setting that takes a NodaTime <see cref="Duration"/> also takes a <see cref="TimeSpan"/>, so a test file that
/// imports FluentAssertions' <c>Minutes()</c> can write <c>TimeSpan</c>s: the two spellings build the same journey.
/// </summary>
public sealed class TimeSpanOverloadTests
{
    [Fact]
    public void AJourneyWrittenWithTimeSpans_IsTheJourneyWrittenWithDurations()
    {
        var withDurations = Journey.When<CheckoutAbandoned>().Named("spans").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId)
            .Cooldown(Duration.FromDays(2))
            .AttributionWindow(Duration.FromHours(12))
            .RememberExitsFor(Duration.FromDays(30))
            .WaitWhileActive(Duration.FromMinutes(20))
            .After(Duration.FromMinutes(30)).Push("push", p => p.Body("x")).SkipIfLaterThan(Duration.FromHours(2))
            .Then().AtLocalTime(new LocalTime(10, 0), Duration.FromHours(3))
            .IssueCoupon(c => c.Named("C").PercentOff(10).ValidFor(Duration.FromDays(2)).NotIfIssuedWithin(Duration.FromDays(30)).NotIfAbandonedMoreThan(2, Duration.FromDays(60)))
            .Build();
        var withTimeSpans = Journey.When<CheckoutAbandoned>().Named("spans").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId)
            .Cooldown(TimeSpan.FromDays(2))
            .AttributionWindow(TimeSpan.FromHours(12))
            .RememberExitsFor(TimeSpan.FromDays(30))
            .WaitWhileActive(TimeSpan.FromMinutes(20))
            .After(TimeSpan.FromMinutes(30)).Push("push", p => p.Body("x")).SkipIfLaterThan(TimeSpan.FromHours(2))
            .Then().AtLocalTime(new LocalTime(10, 0), TimeSpan.FromHours(3))
            .IssueCoupon(c => c.Named("C").PercentOff(10).ValidFor(TimeSpan.FromDays(2)).NotIfIssuedWithin(TimeSpan.FromDays(30)).NotIfAbandonedMoreThan(2, TimeSpan.FromDays(60)))
            .Build();

        withTimeSpans.Cooldown.Should().Be(Duration.FromDays(2));
        withTimeSpans.AttributionWindow.Should().Be(Duration.FromHours(12));
        withTimeSpans.ExitMemory.Should().Be(Duration.FromDays(30));
        withTimeSpans.ActivityQuietPeriod.Should().Be(Duration.FromMinutes(20));
        withTimeSpans.Steps[1].Timing.Should().Be(StepTiming.AtLocalTime(new LocalTime(10, 0), Duration.FromHours(3)));
        withTimeSpans.Describe().Should().Be(withDurations.Describe());
    }

    [Fact]
    public void AFrequencyCapWrittenWithATimeSpan_EqualsOneWrittenWithADuration()
    {
        new FrequencyCap(3, TimeSpan.FromDays(1)).Should().Be(new FrequencyCap(3, Duration.FromDays(1)));
    }

    [Fact]
    public void TimeSpanOverloads_RefuseWhatTheDurationOverloadsRefuse()
    {
        var journey = Journey.When<CheckoutAbandoned>().Named("spans").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer);

        FluentActions.Invoking(() => journey.Cooldown(TimeSpan.Zero)).Should().Throw<JourneyDefinitionException>().WithMessage("*cooldown must be positive*");
        FluentActions.Invoking(() => journey.IssueCoupon(c => c.Named("C").PercentOff(10).ValidFor(TimeSpan.FromDays(400))))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("A coupon's validity must be positive and at most 365 days.*");
    }
}
