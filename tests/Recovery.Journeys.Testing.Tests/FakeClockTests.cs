using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Testing.Tests;

public sealed class FakeClockTests
{
    private sealed record Ping(string Key, Customer Customer);

    [Fact]
    public void NewClock_ReadsItsStart()
    {
        var start = Instant.FromUtc(2030, 6, 1, 12, 0);

        new FakeClock(start).Now.Should().Be(start);
        new FakeClock().Now.Should().Be(FakeClock.DefaultStart);
        new FakeClock(start).GetUtcNow().Should().Be(start.ToDateTimeOffset());
        new FakeClock().LocalTimeZone.Should().Be(TimeZoneInfo.Utc);
    }

    [Fact]
    public async Task AdvanceAsync_FiresTimersAtTheirOwnDueTimeInDueOrder()
    {
        var clock = new FakeClock();
        var fired = new List<(string Name, Instant At)>();
        using var late = clock.CreateTimer(_ => fired.Add(("late", clock.Now)), null, TimeSpan.FromHours(2), Timeout.InfiniteTimeSpan);
        using var early = clock.CreateTimer(_ => fired.Add(("early", clock.Now)), null, TimeSpan.FromMinutes(5), Timeout.InfiniteTimeSpan);
        using var never = clock.CreateTimer(_ => fired.Add(("never", clock.Now)), null, TimeSpan.FromDays(2), Timeout.InfiniteTimeSpan);

        await clock.AdvanceAsync(Duration.FromDays(1));

        fired.Should().Equal(("early", FakeClock.DefaultStart + Duration.FromMinutes(5)), ("late", FakeClock.DefaultStart + Duration.FromHours(2)));
        clock.Now.Should().Be(FakeClock.DefaultStart + Duration.FromDays(1));
    }

    [Fact]
    public void Advance_FiresPeriodicTimersEveryPeriod()
    {
        var clock = new FakeClock();
        var fired = new List<Instant>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.Now), null, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10));

        clock.Advance(Duration.FromMinutes(35));

        fired.Select(at => at - FakeClock.DefaultStart).Should().Equal(Duration.FromMinutes(10), Duration.FromMinutes(20), Duration.FromMinutes(30));
    }

    [Fact]
    public void Timer_ChangeAndDispose_AreHonoured()
    {
        var clock = new FakeClock();
        var fired = 0;
        var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);

        timer.Change(TimeSpan.FromMinutes(10), Timeout.InfiniteTimeSpan).Should().BeTrue();
        clock.Advance(Duration.FromMinutes(5));
        fired.Should().Be(0);
        clock.Advance(Duration.FromMinutes(5));
        fired.Should().Be(1);
        timer.Dispose();
        timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan).Should().BeFalse();
        clock.Advance(Duration.FromHours(1));
        fired.Should().Be(1);
    }

    [Fact]
    public async Task TaskDelay_OnTheFakeClock_CompletesWhenAdvancedPastIt()
    {
        var clock = new FakeClock();

        var delay = Task.Delay(TimeSpan.FromHours(1), clock);
        clock.Advance(Duration.FromMinutes(59));
        delay.IsCompleted.Should().BeFalse();
        clock.Advance(Duration.FromMinutes(1));

        await delay.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Timestamps_FollowTheClock()
    {
        var clock = new FakeClock();
        var before = clock.GetTimestamp();

        clock.Advance(Duration.FromSeconds(90));

        clock.GetElapsedTime(before).Should().Be(TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task TimeOnlyMovesForward()
    {
        var clock = new FakeClock();

        clock.Invoking(c => c.Advance(Duration.FromSeconds(-1))).Should().Throw<ArgumentOutOfRangeException>();
        await clock.Invoking(c => c.AdvanceAsync(Duration.FromSeconds(-1))).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await clock.Invoking(c => c.AdvanceToAsync(FakeClock.DefaultStart - Duration.FromTicks(1))).Should().ThrowAsync<ArgumentOutOfRangeException>()
            .WithMessage("The clock only moves forward*");
    }

    [Fact]
    public async Task AdvanceAsync_RunsEachStepAtItsOwnDueInstant_WithTheClockReadingIt()
    {
        var ran = new List<(string Step, Instant ContextNow, Instant ClockNow)>();
        FakeClock? clock = null;
        var journey = Journey.When<Ping>().CorrelateBy(p => p.Key)
            .After(Duration.FromMinutes(5)).Do("at-5m", Record)
            .Then().After(Duration.FromMinutes(55)).Do("at-1h", Record)
            .Then().AfterStart(Duration.FromDays(1)).Do("at-1d", Record)
            .Build();
        using var harness = new JourneyTestHarness(journey);
        clock = harness.Clock;

        await harness.PublishAsync(new Ping("k", new Customer("c")));
        await harness.AdvanceAsync(Duration.FromDays(2));

        var start = FakeClock.DefaultStart;
        ran.Should().Equal(
            ("at-5m", start + Duration.FromMinutes(5), start + Duration.FromMinutes(5)),
            ("at-1h", start + Duration.FromHours(1), start + Duration.FromHours(1)),
            ("at-1d", start + Duration.FromDays(1), start + Duration.FromDays(1)));

        ValueTask Record(StepContext<Ping> context, CancellationToken cancellationToken)
        {
            ran.Add((context.StepId, context.Now, clock!.Now));
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task AdvanceAsync_InterleavesInstancesAndTimersInDueOrder()
    {
        var events = new List<string>();
        var journey = Journey.When<Ping>().CorrelateBy(p => p.Key).ForCustomer(p => p.Customer)
            .After(Duration.FromMinutes(10)).Push(p => p.Body("{{event.Key}}"))
            .Build();
        using var harness = new JourneyTestHarness(journey);
        harness.Channels.Use(new LoggingChannel(events));
        using var timer = harness.Clock.CreateTimer(_ => events.Add("timer"), null, TimeSpan.FromMinutes(12), Timeout.InfiniteTimeSpan);

        await harness.PublishAsync(new Ping("a", new Customer("c1") { PushToken = "t1" }));
        await harness.AdvanceAsync(Duration.FromMinutes(5));
        await harness.PublishAsync(new Ping("b", new Customer("c2") { PushToken = "t2" }));
        await harness.AdvanceAsync(Duration.FromHours(1));

        events.Should().Equal("a", "timer", "b");
        harness.Sent.Select(s => s.At - FakeClock.DefaultStart).Should().Equal(Duration.FromMinutes(10), Duration.FromMinutes(15));
    }

    [Fact]
    public async Task Advance_WithoutAsync_MovesTimeButLeavesStepsDue()
    {
        var journey = Journey.When<Ping>().CorrelateBy(p => p.Key).ForCustomer(p => p.Customer).After(Duration.FromMinutes(5)).Push(p => p.Body("x")).Build();
        using var harness = new JourneyTestHarness(journey);
        await harness.PublishAsync(new Ping("a", new Customer("c") { PushToken = "t" }));

        harness.Clock.Advance(Duration.FromHours(1));
        harness.Sent.Should().BeEmpty();
        await harness.Clock.RunDueAsync();

        harness.Sent.Should().ContainSingle().Which.At.Should().Be(FakeClock.DefaultStart + Duration.FromHours(1));
    }

    [Fact]
    public async Task Drive_Disposed_StopsRunningTheEngine()
    {
        var journey = Journey.When<Ping>().CorrelateBy(p => p.Key).ForCustomer(p => p.Customer).After(Duration.FromMinutes(5)).Push(p => p.Body("x")).Build();
        var harness = new JourneyTestHarness(journey);
        await harness.PublishAsync(new Ping("a", new Customer("c") { PushToken = "t" }));

        harness.Dispose();
        await harness.Clock.AdvanceAsync(Duration.FromHours(1));

        harness.Sent.Should().BeEmpty();
    }

    private sealed class LoggingChannel(List<string> events) : IChannel<PushMessage>
    {
        public ValueTask<DeliveryReceipt> SendAsync(Delivery<PushMessage> delivery, CancellationToken cancellationToken)
        {
            events.Add(delivery.Message.Body);
            return ValueTask.FromResult(DeliveryReceipt.Sent());
        }
    }
}
