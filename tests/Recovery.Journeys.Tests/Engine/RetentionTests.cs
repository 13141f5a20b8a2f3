using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests;

/// <summary>Finished journeys are kept for the retention period (90 days by default) after they ended, then purged with their timelines.</summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task Purge_RemovesAFinishedJourneyOnlyOnceItsRetentionIsOver_AndReportsSaySinceWhenTheyAreComplete()
    {
        using var harness = new JourneyTestHarness(TestJourneys.CheckoutRecovery());
        await harness.PublishAsync(Shop.Abandoned());
        await harness.PublishAsync(Shop.Abandoned() with { OrderId = "order-2" });
        await harness.AdvanceAsync(10.Days());
        var finished = (await harness.InstancesAsync("order-1")).Should().ContainSingle().Subject;
        finished.Status.Should().Be(JourneyStatus.Completed, "after its last step and the attribution window");
        var endedAt = finished.EndedAt!.Value;

        // Exactly 90 days after it ended: still kept.
        harness.Clock.Advance(endedAt + 90.Days() - harness.Clock.Now);
        (await harness.Engine.PurgeAsync()).Should().Be(0);
        (await harness.InstancesAsync("order-1")).Should().ContainSingle();

        harness.Clock.Advance(1.Seconds());
        (await harness.Engine.PurgeAsync()).Should().Be(2, "both journeys ended at the same instant");
        (await harness.InstancesAsync("order-1")).Should().BeEmpty();
        (await harness.TimelineAsync("order-1")).Should().BeEmpty();
        var report = await harness.Engine.ReportAsync("checkout-recovery");
        report.CompleteSince.Should().Be(harness.Clock.Now - 90.Days());
        report.Entered.Should().Be(0, "the purged instances are no longer counted");
    }
}
