using NodaTime;
using Recovery.Journeys.Timing;

namespace Recovery.Journeys.Tests.Rules;

public sealed class CustomerActivityTrackerTests
{
    private static readonly Instant Nine = Instant.FromUtc(2026, 1, 5, 9, 0);

    [Fact]
    public async Task LastActiveAt_IsTheLatestInstantRecorded_WhateverTheOrder()
    {
        var tracker = new CustomerActivityTracker();

        tracker.Record("alice", Nine + Duration.FromMinutes(10));
        tracker.Record("alice", Nine);
        tracker.Record("bob", Nine);

        (await tracker.LastActiveAtAsync("alice", CancellationToken.None)).Should().Be(Nine + Duration.FromMinutes(10), "an earlier page view changes nothing");
        (await tracker.LastActiveAtAsync("bob", CancellationToken.None)).Should().Be(Nine);
        (await tracker.LastActiveAtAsync("carol", CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public void Record_WithoutACustomerId_Throws()
    {
        var tracker = new CustomerActivityTracker();

        tracker.Invoking(t => t.Record("", Nine)).Should().Throw<ArgumentException>();
        tracker.Invoking(t => t.Record(null!, Nine)).Should().Throw<ArgumentNullException>();
    }
}
