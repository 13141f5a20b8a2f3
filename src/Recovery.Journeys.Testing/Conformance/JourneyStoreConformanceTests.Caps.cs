using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Timing;
using Xunit;

namespace Recovery.Journeys.Testing.Conformance;

public abstract partial class JourneyStoreConformanceTests
{
    /// <summary>
    /// A claim's hold on a customer makes another claim's hold on that customer wait for its commit, which the waiter then
    /// reads; the holder may ask again, and another customer is not held up.
    /// </summary>
    [Fact]
    public async Task LockCustomer_HeldByAnotherClaim_WaitsForItsCommitAndThenReadsIt()
    {
        var start = Clock.Now;
        var first = await StartAsync(NewInstance("order-1", wakeUpAt: start, customerId: "customer-a"));
        var second = await StartAsync(NewInstance("order-2", wakeUpAt: start, customerId: "customer-a"));
        var other = await StartAsync(NewInstance("order-3", wakeUpAt: start, customerId: "customer-b"));
        var claims = await Store.ClaimDueAsync(start, 10, CancellationToken.None);
        Assert.Equal(3, claims.Count);
        var holder = claims.Single(c => c.Instance.Id == first.Id);
        var waiter = claims.Single(c => c.Instance.Id == second.Id);
        await using var unrelated = claims.Single(c => c.Instance.Id == other.Id);

        await Within(holder.LockCustomerAsync("customer-a", CancellationToken.None).AsTask(), "the first hold on a free customer");
        await Within(holder.LockCustomerAsync("customer-a", CancellationToken.None).AsTask(), "the holder asking again");
        await Within(unrelated.LockCustomerAsync("customer-b", CancellationToken.None).AsTask(), "a hold on another customer");
        var waiting = Task.Run(async () =>
        {
            await waiter.LockCustomerAsync("customer-a", CancellationToken.None);
            return await Store.GetCustomerRecordsAsync("customer-a", start, CancellationToken.None);
        });

        Assert.False(await CompletesSoonAsync(waiting), "LockCustomerAsync went ahead while another claim held the customer; it must wait for that claim's commit.");
        await holder.CommitAsync(Ran(holder.Instance, start, "step-2", start + Duration.FromHours(1)), CancellationToken.None);
        var seen = await Within(waiting, "the hold after the holder's commit");
        Assert.Equal([(first.Id, JourneyRecordKind.Sent)], seen.Where(r => r.Kind == JourneyRecordKind.Sent).Select(r => (r.InstanceId, r.Kind)));
        await waiter.DisposeAsync();

        // A released claim lets go of its customer too.
        var again = Assert.Single(await Store.ClaimDueAsync(start, 10, CancellationToken.None));
        await using (again)
        {
            await Within(again.LockCustomerAsync("customer-a", CancellationToken.None).AsTask(), "a hold after the waiter's claim was released");
        }
    }

    /// <summary>
    /// Two engines sharing this store run two journeys of one customer at once, with a cap of one message a day: one
    /// message goes out, and the other step is skipped by the cap, although both steps were in progress together.
    /// </summary>
    [Fact]
    public async Task Engine_TwoWorkersOneCustomerCappedAtOneMessage_SendOnlyOne()
    {
        var clock = new FakeClock(Clock.Now);
        var race = new CapRace(CompletesSoonAsync);
        var channels = new RecordingChannels(clock).Use<PushMessage>(race);
        var host = new JourneyHostServices { Channels = channels, Activity = race };
        var options = new JourneyEngineOptions { BatchSize = 1, MaxConcurrentSteps = 1 };
        options.FrequencyCaps.Add(new FrequencyCap(1, Duration.FromDays(1)) { Policy = CapPolicy.Skip });
        var worker1 = new JourneyEngine([CappedJourney()], Store, host, clock, options);
        var worker2 = new JourneyEngine([CappedJourney()], Store, host, clock, options);
        await worker1.PublishAsync(ConformanceEvent.Sample("order-1", clock.Now));
        await worker2.PublishAsync(ConformanceEvent.Sample("order-2", clock.Now));
        clock.Advance(Duration.FromMinutes(5));

        var runs = Task.WhenAll(Task.Run(() => worker1.RunDueAsync().AsTask()), Task.Run(() => worker2.RunDueAsync().AsTask()));
        await Within(runs, "both workers' runs");

        Assert.True(race.Overlapped, "the first send did not see the other step in progress: the race did not happen");
        Assert.False(race.SecondSendStarted, "the other step sent while the first send was not yet recorded: the cap was passed");
        Assert.Single(channels.Sent);
        var outcomes = new List<JourneyRecord>();
        foreach (var key in new[] { "order-1", "order-2" })
        {
            var instance = Assert.Single(await Store.FindAsync(new JourneyInstanceQuery(JourneyName: "conformance-capped", CorrelationKey: key), CancellationToken.None));
            outcomes.AddRange((await Store.GetTimelineAsync(instance.Id, CancellationToken.None)).Where(r => r.Kind is JourneyRecordKind.Sent or JourneyRecordKind.Skipped));
        }

        Assert.Equal([JourneyRecordKind.Sent, JourneyRecordKind.Skipped], outcomes.Select(r => r.Kind).Order());
        Assert.Contains("frequency cap", outcomes.Single(r => r.Kind == JourneyRecordKind.Skipped).Detail, StringComparison.Ordinal);
    }

    private static JourneyDefinition CappedJourney() =>
        Journey.When<ConformanceEvent>()
            .Named("conformance-capped")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .WaitWhileActive(Duration.FromMinutes(1))
            .AfterStart(Duration.FromMinutes(5)).Push("push-reminder", p => p.Body("Votre commande {{event.OrderId}} n'est pas payée."))
            .Build();

    /// <summary>
    /// Sets up the race: each step reports reaching its timing rules (the activity check, just before the cap), and the
    /// first send waits until both steps have, then gives the other step the wrong-progress window to send as well.
    /// </summary>
    private sealed class CapRace(Func<Task, Task<bool>> completesSoon) : ICustomerActivity, IChannel<PushMessage>
    {
        private readonly TaskCompletionSource _bothAtTheRules = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _secondSend = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _atTheRules;
        private int _sends;

        public bool Overlapped { get; private set; }

        public bool SecondSendStarted => _secondSend.Task.IsCompleted;

        public ValueTask<Instant?> LastActiveAtAsync(string customerId, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _atTheRules) == 2)
            {
                _bothAtTheRules.TrySetResult();
            }

            return ValueTask.FromResult<Instant?>(null);
        }

        public async ValueTask<DeliveryReceipt> SendAsync(Delivery<PushMessage> delivery, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _sends) > 1)
            {
                _secondSend.TrySetResult();
                return DeliveryReceipt.Sent();
            }

            // Both steps are in progress now: this one sending, the other past its claim and at the cap.
            await _bothAtTheRules.Task.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System).ConfigureAwait(false);
            Overlapped = true;
            await completesSoon(_secondSend.Task).ConfigureAwait(false);
            return DeliveryReceipt.Sent();
        }
    }
}
