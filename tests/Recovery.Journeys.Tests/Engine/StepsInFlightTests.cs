using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;

namespace Recovery.Journeys.Tests.Engine;

/// <summary>
/// The due-step loop while slow steps are in flight (a provider that takes seconds): what wakes it, and that hundreds
/// of slow sends in flight hold up only themselves. On the fake clock, which never moves here: whatever is sent was
/// due, and the loop ran it without a timer.
/// </summary>
public sealed class StepsInFlightTests
{
    // Large baskets get a push through the slow channel, the others an SMS, both at once.
    private static readonly Journeys.Definition.JourneyDefinition SlowPush = Journey.When<CheckoutAbandoned>(e => e.Total >= 100)
        .Named("slow").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer).Push(p => p.Body("x")).Build();

    private static readonly Journeys.Definition.JourneyDefinition FastSms = Journey.When<CheckoutAbandoned>(e => e.Total < 100)
        .Named("fast").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer).Sms(s => s.Text("x")).Build();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NewWorkDueBeforeTheLoopsTimer_WakesTheLoop_WhileASlowStepIsInFlight(bool concurrentClaims)
    {
        var (slow, release) = SlowChannel();
        var store = concurrentClaims ? new ConcurrentWaitingStore(slow.Called) : new WaitingStore(slow.Called);
        var sms = new SignallingSms();
        using var harness = Harness(slow, sms, store, maxConcurrentSteps: 4);
        await harness.Engine.PublishAsync(Shop.Abandoned("large-1", total: 150m));

        var running = harness.Engine.RunDueAsync().AsTask();
        await slow.Called.WaitAsync(TimeSpan.FromSeconds(10));
        await store.Waiting.WaitAsync(TimeSpan.FromSeconds(10));

        // Published after the loop went to wait for the slow step, due now: the loop wakes without its timer.
        await harness.Engine.PublishAsync(Shop.Abandoned("small-1"));
        await sms.Sent.WaitAsync(TimeSpan.FromSeconds(10));
        var slowStillSending = !running.IsCompleted;
        release.SetResult();
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        slowStillSending.Should().BeTrue();
        harness.Sent.Select(s => s.JourneyName).Should().Equal("fast", "slow");
    }

    [Fact]
    public async Task HundredsOfSlowSendsInFlight_HoldUpOnlyThemselves_AndEachIsSentOnce()
    {
        var (slow, release) = SlowChannel();
        var sms = new SignallingSms();
        using var harness = Harness(slow, sms, new WaitingStore(slow.Called), maxConcurrentSteps: 512);
        for (var i = 0; i < 300; i++)
        {
            await harness.Engine.PublishAsync(Shop.Abandoned($"large-{i}", total: 150m));
        }

        await harness.Engine.PublishAsync(Shop.Abandoned("small-1"));

        var running = harness.Engine.RunDueAsync().AsTask();
        await sms.Sent.WaitAsync(TimeSpan.FromSeconds(10));
        await slow.AllCalled(300).WaitAsync(TimeSpan.FromSeconds(10));
        var slowStillSending = !running.IsCompleted;
        release.SetResult();
        var ran = await running.WaitAsync(TimeSpan.FromSeconds(10));

        slowStillSending.Should().BeTrue();
        ran.Should().Be(301);
        harness.Sent.Count(s => s.JourneyName == "slow").Should().Be(300);
        slow.Attempts.Select(a => a.IdempotencyKey).Should().OnlyHaveUniqueItems().And.HaveCount(300);
    }

    private static JourneyTestHarness Harness(GatedChannel slow, SignallingSms sms, WaitingStore store, int maxConcurrentSteps) =>
        new(
            [SlowPush, FastSms],
            new JourneyTestHarnessOptions
            {
                Store = store,
                ConfigureChannels = c => c.Use(slow.Channel).Use(sms.Channel),
                ConfigureEngine = o => o.MaxConcurrentSteps = maxConcurrentSteps,
            });

    private static (GatedChannel Channel, TaskCompletionSource Release) SlowChannel()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return (new GatedChannel(release.Task), release);
    }

    /// <summary>A push provider whose calls all wait for the test to let them answer.</summary>
    private sealed class GatedChannel
    {
        private readonly TaskCompletionSource _called = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _allCalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _expected = int.MaxValue;

        public GatedChannel(Task release) =>
            Channel = new ScriptedChannel<PushMessage>(async (_, _) =>
            {
                _called.TrySetResult();
                lock (Channel!.Attempts)
                {
                    if (Channel.Attempts.Count >= Volatile.Read(ref _expected))
                    {
                        _allCalled.TrySetResult();
                    }
                }

                await release;
                return DeliveryReceipt.Sent();
            });

        public ScriptedChannel<PushMessage> Channel { get; }

        public List<Delivery<PushMessage>> Attempts => Channel.Attempts;

        public Task Called => _called.Task;

        public Task AllCalled(int expected)
        {
            Volatile.Write(ref _expected, expected);
            lock (Channel.Attempts)
            {
                if (Channel.Attempts.Count >= expected)
                {
                    _allCalled.TrySetResult();
                }
            }

            return _allCalled.Task;
        }
    }

    /// <summary>An SMS provider that answers at once and says when it was first called.</summary>
    private sealed class SignallingSms
    {
        private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SignallingSms() =>
            Channel = new ScriptedChannel<SmsMessage>((_, _) =>
            {
                _sent.TrySetResult();
                return ValueTask.FromResult(DeliveryReceipt.Sent());
            });

        public ScriptedChannel<SmsMessage> Channel { get; }

        public Task Sent => _sent.Task;
    }

    /// <summary>
    /// Says when the loop, once <paramref name="after"/> completed, asked for
    /// the next wake-up: it then listens for new work and is about to wait.
    /// </summary>
    private class WaitingStore(Task after) : DelegatingStore
    {
        private readonly TaskCompletionSource _waiting = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Waiting => _waiting.Task;

        public override async ValueTask<Instant?> GetNextWakeUpAsync(CancellationToken cancellationToken)
        {
            var next = await base.GetNextWakeUpAsync(cancellationToken);
            if (after.IsCompleted)
            {
                _waiting.TrySetResult();
            }

            return next;
        }
    }

    /// <summary>The same, asking the loop for claims in flight at once (as PostgreSQL's store does): its claimants wait as the loop does.</summary>
    private sealed class ConcurrentWaitingStore(Task after) : WaitingStore(after), IConcurrentClaimStore
    {
        public int MaxClaimsInFlight => 4;
    }
}
