using NodaTime;
using Recovery.Journeys.Coupons;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Xunit;

namespace Recovery.Journeys.Testing.Xunit.Conformance;

public abstract partial class JourneyStoreConformanceTests
{
    /// <summary>
    /// Two engines sharing this store run two journeys of one customer at once, each issuing a coupon unless the
    /// customer had one within 30 days: one coupon is issued, the other withheld, although both steps were in progress
    /// together.
    /// </summary>
    [Fact]
    public async Task Engine_TwoWorkersOneCustomerOneCouponPerPeriod_IssueOnlyOne()
    {
        var clock = new FakeClock(Clock.Now);
        var race = new CouponRace(CompletesSoonAsync);
        var host = new JourneyHostServices { Channels = new RecordingChannels(clock), Customers = race, Coupons = race };
        var options = new JourneyEngineOptions { BatchSize = 1, MaxConcurrentSteps = 1 };
        var worker1 = new JourneyEngine([CouponJourney()], Store, host, clock, options);
        var worker2 = new JourneyEngine([CouponJourney()], Store, host, clock, options);
        await worker1.PublishAsync(ConformanceEvent.Sample("order-1", clock.Now));
        await worker2.PublishAsync(ConformanceEvent.Sample("order-2", clock.Now));
        clock.Advance(Duration.FromMinutes(5));
        race.Arm();

        var runs = Task.WhenAll(Task.Run(() => worker1.RunDueAsync().AsTask()), Task.Run(() => worker2.RunDueAsync().AsTask()));
        await Within(runs, "both workers' runs");

        Assert.True(race.Overlapped, "the first coupon did not see the other step in progress: the race did not happen");
        Assert.False(race.SecondIssueStarted, "the other step issued while the first coupon was not yet recorded: the guard was passed");
        Assert.Equal(1, race.Issued);
        var outcomes = new List<JourneyRecord>();
        foreach (var key in new[] { "order-1", "order-2" })
        {
            var instance = Assert.Single(await Store.FindAsync(new JourneyInstanceQuery(JourneyName: "conformance-coupon", CorrelationKey: key), CancellationToken.None));
            outcomes.AddRange((await Store.GetTimelineAsync(instance.Id, CancellationToken.None))
                .Where(r => r.Kind is JourneyRecordKind.CouponIssued or JourneyRecordKind.CouponWithheld));
        }

        Assert.Equal([JourneyRecordKind.CouponIssued, JourneyRecordKind.CouponWithheld], outcomes.Select(r => r.Kind).Order());
        Assert.Contains("a coupon was issued to the customer within", outcomes.Single(r => r.Kind == JourneyRecordKind.CouponWithheld).Detail, StringComparison.Ordinal);
    }

    private static JourneyDefinition CouponJourney() =>
        Journey.When<ConformanceEvent>()
            .Named("conformance-coupon")
            .CorrelateBy(e => e.OrderId)
            .ForCustomerId(e => e.Customer.Id)
            .AfterStart(Duration.FromMinutes(5)).IssueCoupon(c => c.Named("COMEBACK-10").PercentOff(10).ValidFor(Duration.FromDays(2)).NotIfIssuedWithin(Duration.FromDays(30)), "issue-coupon")
            .Build();

    /// <summary>
    /// Sets up the race: each step reports looking its customer up (when it starts running, before the guard), and the
    /// first issue waits until both steps have, then gives the other step the wrong-progress window to issue as well.
    /// </summary>
    private sealed class CouponRace(Func<Task, Task<bool>> completesSoon) : ICustomerDirectory, ICouponService
    {
        private readonly TaskCompletionSource _bothRunning = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _secondIssue = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _armed;
        private int _running;
        private int _issued;

        public bool Overlapped { get; private set; }

        public bool SecondIssueStarted => _secondIssue.Task.IsCompleted;

        public int Issued => Volatile.Read(ref _issued);

        /// <summary>From now on, lookups are the steps' runs (the publishes looked the customer up too).</summary>
        public void Arm() => Volatile.Write(ref _armed, 1);

        public ValueTask<Customer?> FindAsync(string customerId, CancellationToken cancellationToken)
        {
            if (Volatile.Read(ref _armed) == 1 && Interlocked.Increment(ref _running) == 2)
            {
                _bothRunning.TrySetResult();
            }

            return ValueTask.FromResult<Customer?>(new Customer(customerId) { Email = "alice@example.com" });
        }

        public async ValueTask<string> IssueAsync(CouponRequest request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _issued) > 1)
            {
                _secondIssue.TrySetResult();
                return "SECOND";
            }

            // Both steps are running now: this one issuing, the other past its claim and at the guard.
            await _bothRunning.Task.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System).ConfigureAwait(false);
            Overlapped = true;
            await completesSoon(_secondIssue.Task).ConfigureAwait(false);
            return "FIRST";
        }

        public ValueTask ChangeAsync(Coupon coupon, string idempotencyKey, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask RevokeAsync(Coupon coupon, string idempotencyKey, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
