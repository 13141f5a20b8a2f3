using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Xunit;

namespace Recovery.Journeys.Testing.Conformance;

public abstract partial class JourneyStoreConformanceTests
{
    /// <summary>
    /// The retention purge removes the instances that ended before the given instant, with their timelines, and nothing
    /// else: not active instances, not those that ended later, not an ended one whose exit actions are still to run.
    /// </summary>
    [Fact]
    public async Task PurgeEnded_RemovesOnlyInstancesEndedBeforeTheInstant_WithTheirTimelines()
    {
        var start = Clock.Now;
        var active = await StartAsync(NewInstance("order-1", customerId: "customer-a"));
        var completedEarly = await EndAsync("order-2", "customer-a", start + Duration.FromDays(1), JourneyStatus.Completed);
        var convertedEarly = await EndAsync("order-3", "customer-b", start + Duration.FromDays(5), JourneyStatus.Converted);
        var exitedLate = await EndAsync("order-4", "customer-a", start + Duration.FromDays(9), JourneyStatus.Exited);
        var exitActionsPending = await StartAsync(NewInstance("order-5", customerId: "customer-a"));
        await Store.UpdateActiveAsync(Checkout, "order-5", i => Ended(i, start + Duration.FromDays(1), JourneyStatus.Exited, "OrderCancelled") is var t ? t with { Instance = t.Instance with { WakeUpAt = start + Duration.FromDays(30), NextStepId = "on-exit" } } : null, CancellationToken.None);

        var removed = await Store.PurgeEndedAsync(start + Duration.FromDays(6), 10, CancellationToken.None);

        Assert.Equal(2, removed);
        foreach (var gone in new[] { completedEarly, convertedEarly })
        {
            Assert.Null(await Store.GetAsync(gone.Id, CancellationToken.None));
            Assert.Empty(await Store.GetTimelineAsync(gone.Id, CancellationToken.None));
        }

        Assert.Equal(
            [active.Id, exitedLate.Id, exitActionsPending.Id],
            (await Store.FindAsync(new JourneyInstanceQuery(), CancellationToken.None)).Select(i => i.Id));
        Assert.DoesNotContain(await Store.GetCustomerRecordsAsync("customer-a", start, CancellationToken.None), r => r.InstanceId == completedEarly.Id);
        Assert.DoesNotContain(await ReadAllRecordsAsync(new JourneyRecordQuery()), r => r.InstanceId == completedEarly.Id || r.InstanceId == convertedEarly.Id);
        Assert.NotEmpty(await Store.GetTimelineAsync(exitedLate.Id, CancellationToken.None));
        Assert.Equal(0, await Store.PurgeEndedAsync(start + Duration.FromDays(6), 10, CancellationToken.None));
    }

    /// <summary>A batch removes at most the count asked for, the earliest ended first; the next batch goes on from there.</summary>
    [Fact]
    public async Task PurgeEnded_InBatches_RemovesTheEarliestEndedFirst()
    {
        var start = Clock.Now;
        var third = await EndAsync("order-1", "customer-a", start + Duration.FromDays(3), JourneyStatus.Completed);
        var first = await EndAsync("order-2", "customer-a", start + Duration.FromDays(1), JourneyStatus.Exited);
        var second = await EndAsync("order-3", "customer-a", start + Duration.FromDays(2), JourneyStatus.Converted);

        Assert.Equal(2, await Store.PurgeEndedAsync(start + Duration.FromDays(10), 2, CancellationToken.None));

        Assert.Null(await Store.GetAsync(first.Id, CancellationToken.None));
        Assert.Null(await Store.GetAsync(second.Id, CancellationToken.None));
        Assert.NotNull(await Store.GetAsync(third.Id, CancellationToken.None));
        Assert.Equal(1, await Store.PurgeEndedAsync(start + Duration.FromDays(10), 2, CancellationToken.None));
        Assert.Empty(await Store.FindAsync(new JourneyInstanceQuery(), CancellationToken.None));
    }

    private async Task<JourneyInstance> EndAsync(string key, string customerId, Instant endedAt, JourneyStatus status)
    {
        var instance = await StartAsync(NewInstance(key, customerId: customerId));
        var ended = await Store.UpdateActiveAsync(Checkout, key, i => Ended(i, endedAt, status, "ended"), CancellationToken.None);
        Assert.NotNull(ended);
        return instance;
    }
}
