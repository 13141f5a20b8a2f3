using NodaTime;
using NodaTime.Text;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;
using Recovery.Journeys.Timing;

namespace Recovery.Journeys.Tests;

public sealed class TimingRuleTests
{
    private static readonly LocalTime Nine = new(21, 0);
    private static readonly LocalTime Eight = new(8, 0);

    private static JourneyBuilder<CheckoutAbandoned> Checkout() =>
        Journey.When<CheckoutAbandoned>().Named("timing").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer);

    private static JourneyTestHarness Harness(JourneyDefinition journey, Instant start, Action<JourneyTestHarnessOptions>? configure = null)
    {
        var options = new JourneyTestHarnessOptions { Start = start };
        configure?.Invoke(options);
        return new JourneyTestHarness([journey], options);
    }

    [Fact]
    public async Task QuietHours_AStepDueInsideTheWindow_IsDeferredToItsEnd_InTheCustomersZone()
    {
        // 20:00 UTC is 21:00 in Paris: the push due one hour later, at 22:00 local, waits for 08:00 local.
        using var harness = Harness(Checkout().QuietHours(Nine, Eight).After(1.Hours()).Push(p => p.Body("x")).Build(), Instant.FromUtc(2026, 1, 5, 20, 0));

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(2.Days());

        harness.Sent.Should().ContainSingle().Which.At.Should().Be(Instant.FromUtc(2026, 1, 6, 7, 0));
        (await harness.TimelineAsync("order-1")).Should().Contain(r => r.Kind == JourneyRecordKind.Deferred
            && r.Detail == "quiet hours 21:00-08:00 in Europe/Paris, until 2026-01-06 08:00 local");
    }

    [Fact]
    public async Task QuietHours_HoldBackMessagesToTheCustomerOnly_NotListChangesWebhooksOrActions()
    {
        // 20:00 UTC is 21:00 in Paris, inside the quiet window: the audience, the CRM list, the webhook and the host
        // action go out on time; the push, which speaks to the customer, waits for 08:00 local.
        var actions = 0;
        var journey = Checkout().QuietHours(Nine, Eight)
            .After(1.Hours()).AddToAudience("retargeting", "audience")
            .AddToCrmList("unpaid", "crm")
            .Webhook("https://hooks.example.com/unpaid", c => new { c.Event.OrderId }, "webhook")
            .Do("action", (_, _) => { actions++; return ValueTask.CompletedTask; })
            .Push("push", p => p.Body("x"))
            .Build();
        using var harness = Harness(journey, Instant.FromUtc(2026, 1, 5, 20, 0));

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(2.Days());

        var dueAt = Instant.FromUtc(2026, 1, 5, 21, 0);
        harness.Sent.Select(s => (s.StepId, s.At)).Should().Equal(
            ("audience", dueAt), ("crm", dueAt), ("webhook", dueAt), ("push", Instant.FromUtc(2026, 1, 6, 7, 0)));
        actions.Should().Be(1);
        var timeline = await harness.TimelineAsync("order-1");
        timeline.Where(r => r.Kind == JourneyRecordKind.Deferred).Select(r => r.StepId).Should().Equal("push");
        timeline.Single(r => r.StepId == "action" && r.Kind == JourneyRecordKind.Sent).At.Should().Be(dueAt);
        journey.Steps.Select(s => s.Kind).Should().Equal(StepKind.ListChange, StepKind.ListChange, StepKind.HostAction, StepKind.HostAction, StepKind.CustomerMessage);
    }

    [Fact]
    public async Task QuietHours_FollowEachCustomersOwnZone()
    {
        using var harness = Harness(Checkout().QuietHours(Nine, Eight).After(1.Hours()).Push(p => p.Body("x")).Build(), Instant.FromUtc(2026, 1, 5, 20, 0));

        // At 21:00 UTC it is 22:00 in Paris (quiet) but 16:00 in New York (not quiet).
        await harness.PublishAsync(Shop.Abandoned("paris"));
        await harness.PublishAsync(Shop.Abandoned("new-york", customer: Shop.Alice with { Id = "ny", TimeZone = "America/New_York" }));
        await harness.AdvanceAsync(2.Days());

        harness.Sent.Select(s => (s.Recipient.Id, s.At)).Should().Equal(
            ("ny", Instant.FromUtc(2026, 1, 5, 21, 0)),
            ("cust-alice", Instant.FromUtc(2026, 1, 6, 7, 0)));
    }

    [Fact]
    public async Task QuietHours_ForSomeChannels_LeaveTheOthersAlone()
    {
        using var harness = Harness(Checkout()
            .QuietHours(Nine, Eight, "sms", "push")
            .After(1.Hours()).Email(m => m.Subject("s").TextBody("t"))
            .Sms(s => s.Text("x"))
            .Build(), Instant.FromUtc(2026, 1, 5, 20, 0));

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(2.Days());

        harness.Sent.Select(s => (s.StepId, s.At)).Should().Equal(
            ("email-1", Instant.FromUtc(2026, 1, 5, 21, 0)),
            ("sms-1", Instant.FromUtc(2026, 1, 6, 7, 0)));
    }

    [Fact]
    public async Task QuietHours_AWindowEndThatDstSkips_DefersToTheEndOfTheGap()
    {
        // On 29 March 2026, Paris clocks jump from 02:00 to 03:00: a window ending at 02:30 ends at 03:00 (01:00 UTC).
        using var harness = Harness(Checkout().QuietHours(new LocalTime(1, 0), new LocalTime(2, 30)).After(1.Minutes()).Push(p => p.Body("x")).Build(), Instant.FromUtc(2026, 3, 29, 0, 10));

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(1.Days());

        harness.Sent.Single().At.Should().Be(Instant.FromUtc(2026, 3, 29, 1, 0));
    }

    [Fact]
    public async Task QuietHours_AWindowEndThatDstRepeats_DefersToItsFirstOccurrence()
    {
        // On 25 October 2026, Paris clocks go back from 03:00 to 02:00: 02:30 happens at 00:30 and again at 01:30 UTC.
        using var harness = Harness(Checkout().QuietHours(new LocalTime(1, 0), new LocalTime(2, 30)).After(1.Minutes()).Push(p => p.Body("x")).Build(), Instant.FromUtc(2026, 10, 24, 23, 10));

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(1.Days());

        harness.Sent.Single().At.Should().Be(Instant.FromUtc(2026, 10, 25, 0, 30));
    }

    [Fact]
    public void QuietHours_AnEmptyWindow_Fails() =>
        FluentActions.Invoking(() => Checkout().QuietHours(Eight, Eight)).Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'timing': the quiet hours 08:00-08:00 are empty");

    [Theory]
    [InlineData("09:30", "2026-01-06T09:00:00Z")] // 10:30 in Paris: 10:00 has passed, so tomorrow's
    [InlineData("08:00", "2026-01-05T09:00:00Z")] // 09:00 in Paris: today's 10:00
    [InlineData("09:00", "2026-01-05T09:00:00Z")] // 10:00 in Paris exactly: now
    public void NextLocalTime_IsAtOrAfter(string utcNow, string expectedUtc)
    {
        var from = InstantPattern.ExtendedIso.Parse($"2026-01-05T{utcNow}:00Z").Value;
        var paris = DateTimeZoneProviders.Tzdb["Europe/Paris"];
        var due = StepTiming.AtLocalTime(new LocalTime(10, 0), Duration.Zero).DueAt(from, null, paris);

        due.Should().Be(InstantPattern.ExtendedIso.Parse(expectedUtc).Value);
    }

    [Fact]
    public void NextLocalTime_SkippedByDst_IsTheEndOfTheGap_AndRepeated_IsTheFirstOccurrence()
    {
        var paris = DateTimeZoneProviders.Tzdb["Europe/Paris"];
        var at0230 = StepTiming.AtLocalTime(new LocalTime(2, 30), Duration.Zero);

        at0230.DueAt(Instant.FromUtc(2026, 3, 28, 23, 0), null, paris).Should().Be(Instant.FromUtc(2026, 3, 29, 1, 0));
        at0230.DueAt(Instant.FromUtc(2026, 10, 24, 23, 0), null, paris).Should().Be(Instant.FromUtc(2026, 10, 25, 0, 30));
    }

    /// <summary>
    /// Property-style: across many real tzdb zones and instants around their 2026 DST transitions, a journey of
    /// several steps under quiet hours sends every step exactly once and never inside the window, and a local-time
    /// step lands on its local time (or the end of a DST gap).
    /// </summary>
    [Fact]
    public async Task QuietHoursAndLocalTimes_OverManyZonesAndDstTransitions_NoSendInsideTheWindow_NoneLost_NoneDoubled()
    {
        var random = new Random(20261124);
        var from = new LocalTime(21, 30);
        var to = new LocalTime(7, 45);
        var zones = DateTimeZoneProviders.Tzdb.Ids
            .Select(id => DateTimeZoneProviders.Tzdb[id])
            .Where(z => z.GetZoneIntervals(Instant.FromUtc(2026, 1, 1, 0, 0), Instant.FromUtc(2027, 1, 1, 0, 0)).Count() > 1)
            .OrderBy(z => z.Id, StringComparer.Ordinal)
            .ToList();
        zones.Should().HaveCountGreaterThan(50, "tzdb has many zones with DST in 2026");
        var checkedCustomers = 0;

        foreach (var zone in zones.Where((_, i) => i % 3 == 0))
        {
            foreach (var transition in zone.GetZoneIntervals(Instant.FromUtc(2026, 1, 1, 0, 0), Instant.FromUtc(2027, 1, 1, 0, 0)).Skip(1).Select(i => i.Start))
            {
                // Start a few hours before the transition, so steps and windows straddle it.
                var start = transition - Duration.FromMinutes(random.Next(0, 12 * 60));
                var journey = Journey.When<CheckoutAbandoned>().Named("property").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
                    .QuietHours(from, to)
                    .After(Duration.FromMinutes(random.Next(1, 300))).Push("a", p => p.Body("a"))
                    .Then().After(Duration.FromMinutes(random.Next(1, 600))).Sms("b", s => s.Text("b"))
                    .Then().AtLocalTime(new LocalTime(random.Next(0, 24), random.Next(0, 4) * 15)).Email("c", m => m.Subject("c").TextBody("c"))
                    .Build();
                using var harness = Harness(journey, start);

                await harness.PublishAsync(Shop.Abandoned(customer: Shop.Alice with { TimeZone = zone.Id }));
                await harness.AdvanceAsync(4.Days());

                harness.Sent.Select(s => s.StepId).Should().Equal(["a", "b", "c"], $"every step is sent once in {zone.Id} from {start}");
                foreach (var sent in harness.Sent)
                {
                    // The oracle, from NodaTime's local time of the send: 21:30 (included) to 07:45 (excluded), across midnight.
                    var local = sent.At.InZone(zone).TimeOfDay;
                    var insideTheWindow = local >= new LocalTime(21, 30) || local < new LocalTime(7, 45);
                    insideTheWindow.Should().BeFalse($"{sent.StepId} was sent at {sent.At.InZone(zone)} in {zone.Id}, inside the quiet hours");
                    sent.At.Should().BeGreaterThanOrEqualTo(sent.DueAt, "nothing is sent before its due time");
                }

                checkedCustomers++;
            }
        }

        checkedCustomers.Should().BeGreaterThan(50);
    }

    [Fact]
    public async Task FrequencyCap_Deferred_UntilTheOldestMessageLeavesThePeriod_AcrossJourneys()
    {
        var first = Checkout().Named("first").Push("a", p => p.Body("a")).Then().After(1.Hours()).Push("b", p => p.Body("b")).Build();
        var second = Checkout().Named("second").After(2.Hours()).Sms("c", s => s.Text("c")).Build();
        using var harness = new JourneyTestHarness([first, second], Options(o => o.FrequencyCaps.Add(new FrequencyCap(2, 1.Days()))));

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(3.Days());

        harness.Sent.Select(s => (s.StepId, s.At - FakeClock.DefaultStart)).Should().Equal(("a", Duration.Zero), ("b", 1.Hours()), ("c", 1.Days()));
        (await harness.TimelineAsync("order-1")).Should().Contain(r => r.Kind == JourneyRecordKind.Deferred && r.Detail == "frequency cap of 2 messages per 1d reached");
    }

    [Fact]
    public async Task FrequencyCap_PerChannel_WithSkip_SkipsOnlyThatChannel()
    {
        using var harness = new JourneyTestHarness(
            [Checkout().Sms("s1", s => s.Text("1")).Then().After(1.Hours()).Sms("s2", s => s.Text("2")).Then().After(1.Hours()).Push("p", p => p.Body("3")).Build()],
            Options(o => o.FrequencyCaps.Add(new FrequencyCap(1, 1.Days()) { Channel = "sms", Policy = CapPolicy.Skip })));

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(1.Days());

        harness.Sent.Select(s => s.StepId).Should().Equal("s1", "p");
        (await harness.TimelineAsync("order-1")).Should().Contain(r => r.Kind == JourneyRecordKind.Skipped && r.StepId == "s2" && r.Detail == "frequency cap of 1 messages per 1d on sms reached");
    }

    [Fact]
    public async Task FrequencyCap_DoesNotCountListsWebhooksOrActions()
    {
        using var harness = new JourneyTestHarness(
            [Checkout().AddToCrmList("l").Do((_, _) => ValueTask.CompletedTask).Webhook("https://h.example.com", _ => new { }).Push(p => p.Body("x")).Build()],
            Options(o => o.FrequencyCaps.Add(new FrequencyCap(1, 1.Days()))));

        await harness.PublishAsync(Shop.Abandoned());

        harness.SentOf<PushMessage>().Should().ContainSingle().Which.At.Should().Be(FakeClock.DefaultStart);
    }

    [Fact]
    public async Task WaitWhileActive_HoldsRemindersUntilTheCustomerHasBeenQuiet()
    {
        var activity = new CustomerActivityTracker();
        using var harness = new JourneyTestHarness(
            [Checkout().WaitWhileActive(15.Minutes()).After(5.Minutes()).Push(p => p.Body("x")).Build()],
            Options(o => o.Activity = activity));

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(3.Minutes());
        activity.Record("cust-alice", harness.Clock.Now);
        await harness.AdvanceAsync(1.Hours());

        harness.Sent.Single().At.Should().Be(FakeClock.DefaultStart + 18.Minutes());
        (await harness.TimelineAsync("order-1")).Should().Contain(r => r.Kind == JourneyRecordKind.Deferred && r.Detail == "the customer was active 2m ago");
    }

    [Fact]
    public void WaitWhileActive_WithoutAnActivitySource_FailsWhenTheEngineIsCreated() =>
        FluentActions.Invoking(() => new JourneyTestHarness(Checkout().WaitWhileActive(15.Minutes()).Push(p => p.Body("x")).Build()))
            .Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'timing': it waits while the customer is active (WaitWhileActive) but no ICustomerActivity is registered");

    [Fact]
    public async Task Deferral_KeepsAFanOutsProgress_SoDoneChannelsAreNotSentAgain()
    {
        var webCalls = 0;
        var web = new ScriptedChannel<WebPushMessage>((_, _) => ++webCalls == 1 ? throw new HttpRequestException("503") : ValueTask.FromResult(DeliveryReceipt.Sent()));
        var everywhere = Shop.Alice with { WebPushEndpoint = "https://push.example.com/1" };

        // 20:59 Paris: the app push goes, the web push fails and is retried at 21:00, inside the quiet hours.
        using var harness = Harness(
            Checkout().QuietHours(Nine, Eight).FanOut(c => c.Push(p => p.Body("a")).WebPush(w => w.Title("t").Body("b"))).Build(),
            Instant.FromUtc(2026, 1, 5, 19, 59),
            o => o.ConfigureChannels = c => c.Use(web));

        await harness.PublishAsync(Shop.Abandoned(customer: everywhere));
        await harness.AdvanceAsync(1.Days());

        harness.Sent.Select(s => (s.Body.GetType().Name, s.At)).Should().Equal(
            (nameof(PushMessage), Instant.FromUtc(2026, 1, 5, 19, 59)),
            (nameof(WebPushMessage), Instant.FromUtc(2026, 1, 6, 7, 0)));
    }

    private static JourneyTestHarnessOptions Options(Action<JourneyTestHarnessOptions> configure)
    {
        var options = new JourneyTestHarnessOptions();
        configure(options);
        return options;
    }
}
