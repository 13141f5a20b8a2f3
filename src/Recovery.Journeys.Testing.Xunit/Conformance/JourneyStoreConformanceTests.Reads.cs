using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Xunit;

namespace Recovery.Journeys.Testing.Xunit.Conformance;

public abstract partial class JourneyStoreConformanceTests
{
    /// <summary>The next wake-up is the earliest of the active, unheld instances; ended ones do not count.</summary>
    [Fact]
    public async Task GetNextWakeUp_ActiveEndedAndHeldInstances_IsTheEarliestUnheldActiveOne()
    {
        var now = Clock.Now;
        Assert.Null(await Store.GetNextWakeUpAsync(CancellationToken.None));
        await StartAsync(NewInstance("order-later", wakeUpAt: now + Duration.FromHours(1)));
        await StartAsync(NewInstance("order-ended", wakeUpAt: now - Duration.FromHours(3)));
        await Store.UpdateActiveAsync(Checkout, "order-ended", i => Ended(i, now, JourneyStatus.Exited, "OrderCancelled"), CancellationToken.None);
        await StartAsync(NewInstance("order-held", wakeUpAt: now - Duration.FromHours(2)));
        await StartAsync(NewInstance("order-soon", wakeUpAt: now + Duration.FromMinutes(5)));

        Assert.Equal(now - Duration.FromHours(2), await Store.GetNextWakeUpAsync(CancellationToken.None));

        // A held instance is not reported due, or a scheduler would spin on work it cannot claim.
        var claim = Assert.Single(await Store.ClaimDueAsync(now, 10, CancellationToken.None));
        var next = await Store.GetNextWakeUpAsync(CancellationToken.None);
        Assert.NotNull(next);
        Assert.True(next > now && next <= now + Duration.FromMinutes(5), $"With the only due instance held, the next wake-up was {next}; expected after {now} and at the latest {now + Duration.FromMinutes(5)}.");
        await claim.DisposeAsync();
        Assert.Equal(now - Duration.FromHours(2), await Store.GetNextWakeUpAsync(CancellationToken.None));
    }

    /// <summary>Unknown ids read as nothing.</summary>
    [Fact]
    public async Task Get_UnknownInstance_ReturnsNullAndAnEmptyTimeline()
    {
        await StartAsync(NewInstance("order-1"));

        Assert.Null(await Store.GetAsync(JourneyInstanceId.New(), CancellationToken.None));
        Assert.Empty(await Store.GetTimelineAsync(JourneyInstanceId.New(), CancellationToken.None));
    }

    /// <summary>Every criterion filters; several combine; the result is oldest first and includes ended instances.</summary>
    [Fact]
    public async Task Find_ByJourneyKeyAndCustomer_ReturnsMatchesOldestFirst()
    {
        var a = await StartAsync(NewInstance("order-1", customerId: "customer-a"));
        Clock.Advance(Duration.FromSeconds(1));
        var b = await StartAsync(NewInstance("order-2", customerId: "customer-b"));
        Clock.Advance(Duration.FromSeconds(1));
        var c = await StartAsync(NewInstance("order-1", journeyName: "coupon-follow-up", customerId: "customer-a"));
        Clock.Advance(Duration.FromSeconds(1));
        var d = await StartAsync(NewInstance("order-3", customerId: null));
        await Store.UpdateActiveAsync(Checkout, "order-1", i => Ended(i, Clock.Now, JourneyStatus.Exited, "OrderCancelled"), CancellationToken.None);

        async Task<IEnumerable<JourneyInstanceId>> Find(JourneyInstanceQuery query) =>
            (await Store.FindAsync(query, CancellationToken.None)).Select(i => i.Id);

        Assert.Equal([a.Id, b.Id, c.Id, d.Id], await Find(new JourneyInstanceQuery()));
        Assert.Equal([a.Id, b.Id, d.Id], await Find(new JourneyInstanceQuery(JourneyName: Checkout)));
        Assert.Equal([a.Id, c.Id], await Find(new JourneyInstanceQuery(CorrelationKey: "order-1")));
        Assert.Equal([a.Id, c.Id], await Find(new JourneyInstanceQuery(CustomerId: "customer-a")));
        Assert.Equal([c.Id], await Find(new JourneyInstanceQuery("coupon-follow-up", "order-1", "customer-a")));
        Assert.Equal([a.Id], await Find(new JourneyInstanceQuery(Checkout, "order-1")));
        Assert.Empty(await Find(new JourneyInstanceQuery(CustomerId: "customer-z")));
        Assert.Equal(JourneyStatus.Exited, (await Store.FindAsync(new JourneyInstanceQuery(Checkout, "order-1"), CancellationToken.None))[0].Status);
    }

    /// <summary>A timeline comes back in write order, every field of every record kept.</summary>
    [Fact]
    public async Task GetTimeline_SeveralWrites_ReturnsEveryRecordInWriteOrder()
    {
        var instance = await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now));
        var claim = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        var failed = new JourneyRecord(instance.Id, Checkout, Clock.Now, JourneyRecordKind.Failed) { StepId = "step-1", Channel = "email", Detail = "SMTP 451: réessayez plus tard" };
        var skipped = new JourneyRecord(instance.Id, Checkout, Clock.Now, JourneyRecordKind.Skipped) { StepId = "step-1b", Channel = "sms", Detail = "no phone number" };
        await claim.CommitAsync(new JourneyTransition(claim.Instance with { NextStepId = "step-2", LastStepAt = Clock.Now }, [failed, skipped]), CancellationToken.None);
        var converted = new JourneyRecord(instance.Id, Checkout, Clock.Now + Duration.FromMinutes(1), JourneyRecordKind.Converted)
        {
            StepId = "step-1",
            Detail = "OrderPaid",
            Value = 1234567.8901m,
        };
        await Store.UpdateActiveAsync(Checkout, "order-1", current => new JourneyTransition(current with { Status = JourneyStatus.Converted, WakeUpAt = null, NextStepId = null }, [converted]), CancellationToken.None);

        var timeline = await Store.GetTimelineAsync(instance.Id, CancellationToken.None);

        Assert.Equal([.. Entered(instance).Records, failed, skipped, converted], timeline);
    }

    /// <summary>Records are read across instances by time, filtered by journey and by a half-open time range.</summary>
    [Fact]
    public async Task ReadRecords_ByJourneyAndTimeRange_ReturnsMatchesByTime()
    {
        var t0 = Clock.Now;
        var a = await StartAsync(NewInstance("order-1", wakeUpAt: t0 + Duration.FromMinutes(10)));
        Clock.Advance(Duration.FromMinutes(1));
        var b = await StartAsync(NewInstance("order-2", wakeUpAt: t0 + Duration.FromDays(1), journeyName: "coupon-follow-up"));
        Clock.Advance(Duration.FromMinutes(1));
        var c = await StartAsync(NewInstance("order-3", wakeUpAt: t0 + Duration.FromDays(1)));
        Clock.Advance(Duration.FromMinutes(8));
        var claim = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        var ran = Ran(claim.Instance, Clock.Now, "step-2", Clock.Now + Duration.FromHours(1));
        await claim.CommitAsync(ran, CancellationToken.None);

        var all = await ReadAllRecordsAsync(new JourneyRecordQuery());
        var checkout = await ReadAllRecordsAsync(new JourneyRecordQuery(JourneyName: Checkout));
        var window = await ReadAllRecordsAsync(new JourneyRecordQuery(From: t0 + Duration.FromMinutes(1), To: t0 + Duration.FromMinutes(10)));
        var fromOnly = await ReadAllRecordsAsync(new JourneyRecordQuery(Checkout, From: t0 + Duration.FromMinutes(2)));

        Assert.Equal([(a.Id, JourneyRecordKind.Entered), (b.Id, JourneyRecordKind.Entered), (c.Id, JourneyRecordKind.Entered), (a.Id, JourneyRecordKind.Sent)], all.Select(r => (r.InstanceId, r.Kind)));
        Assert.Equal(ran.Records[0], all[3]);
        Assert.Equal([a.Id, c.Id, a.Id], checkout.Select(r => r.InstanceId));
        Assert.Equal([b.Id, c.Id], window.Select(r => r.InstanceId));
        Assert.Equal([(c.Id, JourneyRecordKind.Entered), (a.Id, JourneyRecordKind.Sent)], fromOnly.Select(r => (r.InstanceId, r.Kind)));
    }

    /// <summary>Records written at one instant keep their instance's write order when read across instances.</summary>
    [Fact]
    public async Task ReadRecords_SameInstant_KeepsEachInstancesWriteOrder()
    {
        var instance = await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now));
        var claim = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        var ended = Ended(claim.Instance, Clock.Now, JourneyStatus.Completed, "completed");
        var sent = new JourneyRecord(instance.Id, Checkout, Clock.Now, JourneyRecordKind.Sent) { StepId = "step-1", Channel = "push" };
        await claim.CommitAsync(ended with { Records = [sent, .. ended.Records] }, CancellationToken.None);

        var records = await ReadAllRecordsAsync(new JourneyRecordQuery(Checkout));

        Assert.Equal([JourneyRecordKind.Entered, JourneyRecordKind.Sent, JourneyRecordKind.Completed], records.Select(r => r.Kind));
    }

    /// <summary>A customer's records span every journey, start at the given instant, and come by time; other customers' stay out.</summary>
    [Fact]
    public async Task GetCustomerRecords_AcrossJourneys_ReturnsTheCustomersRecordsSinceAnInstant()
    {
        var start = Clock.Now;
        var checkout = await StartAsync(NewInstance("order-1", wakeUpAt: start, customerId: "customer-a"));
        var coupon = await StartAsync(NewInstance("order-1", wakeUpAt: start, journeyName: "coupon-follow-up", customerId: "customer-a"));
        await StartAsync(NewInstance("order-2", wakeUpAt: start, customerId: "customer-b"));
        Clock.Advance(Duration.FromHours(1));
        foreach (var claim in await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None))
        {
            await claim.CommitAsync(Ran(claim.Instance, Clock.Now, "step-2", Clock.Now + Duration.FromDays(1)), CancellationToken.None);
        }

        var records = await Store.GetCustomerRecordsAsync("customer-a", start + Duration.FromMinutes(1), CancellationToken.None);

        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal(JourneyRecordKind.Sent, r.Kind));
        Assert.Equal(new HashSet<JourneyInstanceId> { checkout.Id, coupon.Id }, records.Select(r => r.InstanceId).ToHashSet());

        // From the start on, the two Entered records come first.
        var all = await Store.GetCustomerRecordsAsync("customer-a", start, CancellationToken.None);
        Assert.Equal([JourneyRecordKind.Entered, JourneyRecordKind.Entered, JourneyRecordKind.Sent, JourneyRecordKind.Sent], all.Select(r => r.Kind));
        Assert.Empty(await Store.GetCustomerRecordsAsync("customer-z", start, CancellationToken.None));
    }

    /// <summary>A step's retry state (its attempt and progress) is kept across a commit, with the instance's time zone.</summary>
    [Fact]
    public async Task Commit_RetryState_KeepsTheAttemptTheProgressAndTheTimeZone()
    {
        await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now));
        var claim = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        var retrying = claim.Instance with { StepAttempt = 2, StepProgress = "0,2", WakeUpAt = Clock.Now + Duration.FromMinutes(2) };
        var record = new JourneyRecord(retrying.Id, Checkout, Clock.Now, JourneyRecordKind.RetryScheduled) { StepId = "step-1", Channel = "web-push", Detail = "attempt 2 of 3 failed" };

        await claim.CommitAsync(new JourneyTransition(retrying, [record]), CancellationToken.None);

        AssertSameInstance(retrying, await Store.GetAsync(retrying.Id, CancellationToken.None));
    }
}
