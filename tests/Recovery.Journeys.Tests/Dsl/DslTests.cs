using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests;

[ChannelName("webhook")]
public sealed record WebhookCall(string Url, string Payload);

public sealed class DslTests
{
    private static JourneyBuilder<CheckoutAbandoned> Checkout(Func<CheckoutAbandoned, bool>? filter = null) =>
        Journey.When(filter).Named("dsl").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer);

    [Fact]
    public async Task When_WithFilter_OnlyEventsThatPassItEnter()
    {
        using var harness = new JourneyTestHarness(Checkout(e => e.SecondsOnPaymentPage > 30).Push(p => p.Body("hi")).Build());

        var quick = await harness.PublishAsync(Shop.Abandoned("order-quick", seconds: 10));
        var slow = await harness.PublishAsync(Shop.Abandoned("order-slow", seconds: 31));

        quick.Started.Should().BeEmpty();
        quick.IsHandled.Should().BeTrue();
        slow.Started.Should().ContainSingle();
        harness.Sent.Select(s => s.Recipient.Id).Should().Equal("cust-alice");
        (await harness.InstancesAsync("order-quick")).Should().BeEmpty();
    }

    [Fact]
    public async Task When_WithoutFilter_EveryEventEnters()
    {
        using var harness = new JourneyTestHarness(Checkout().Push(p => p.Body("hi")).Build());

        await harness.PublishAsync(Shop.Abandoned("a", seconds: 0));
        await harness.PublishAsync(Shop.Abandoned("b", seconds: 100));

        harness.Sent.Should().HaveCount(2);
    }

    [Fact]
    public void Build_ExposesNameVersionFilterStepsAndExits()
    {
        var journey = Journey.When<CheckoutAbandoned>(e => e.SecondsOnPaymentPage > 30)
            .Named("dsl")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .Version(3)
            .ExitWhen<OrderPaid>(e => e.OrderId)
            .ExitWhen<OrderCancelled>(e => e.OrderId, exit => exit.NotAConversion())
            .After(5.Minutes()).Push(p => p.Body("a"))
            .Then().After(1.Hours()).Email(m => m.Subject("b").TextBody("b"))
            .Then().AfterStart(1.Days()).Push(p => p.Body("c"))
            .Then().Sms(s => s.Text("d"))
            .Build();

        journey.Name.Should().Be("dsl");
        journey.Version.Should().Be(3);
        journey.EventType.Should().Be<CheckoutAbandoned>();
        journey.EntryFilter.Should().Be("e => e.SecondsOnPaymentPage > 30");
        journey.Steps.Select(s => (s.Id, s.Channel, s.Timing, s.NextStepId)).Should().Equal(
            ("push-1", "push", new StepTiming(StepTimingAnchor.PreviousStep, 5.Minutes()), "email-1"),
            ("email-1", "email", new StepTiming(StepTimingAnchor.PreviousStep, 1.Hours()), "push-2"),
            ("push-2", "push", new StepTiming(StepTimingAnchor.JourneyStart, 1.Days()), "sms-1"),
            ("sms-1", "sms", StepTiming.Immediately, null));
        journey.Exits.Select(e => (e.EventType, e.IsConversion)).Should().Equal((typeof(OrderPaid), true), (typeof(OrderCancelled), false));
        journey.FindStep("email-1")!.Channel.Should().Be("email");
        journey.FindStep("nope").Should().BeNull();
        journey.ReentryPolicy.Should().Be(ReentryPolicy.Ignore);
        journey.StepFailurePolicy.Should().Be(StepFailurePolicy.Continue);
    }

    [Fact]
    public void Named_Default_IsTheEventTypeName()
    {
        var journey = Journey.When<CheckoutAbandoned>().CorrelateBy(e => e.OrderId).Do((_, _) => ValueTask.CompletedTask).Build();

        journey.Name.Should().Be("CheckoutAbandoned");
        journey.Version.Should().Be(1);
        journey.EntryFilter.Should().BeNull();
    }

    [Fact]
    public async Task After_IsMeasuredFromWhenThePreviousStepRan()
    {
        using var harness = new JourneyTestHarness(Checkout()
            .After(5.Minutes()).Push(p => p.Body("a"))
            .Then().After(1.Hours()).Push(p => p.Body("b"))
            .Build());
        var start = harness.Clock.Now;

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(3.Hours());

        harness.Sent.Select(s => s.At - start).Should().Equal(5.Minutes(), 65.Minutes());
    }

    [Fact]
    public async Task AfterStart_IsMeasuredFromTheJourneyStart()
    {
        using var harness = new JourneyTestHarness(Checkout()
            .AfterStart(5.Minutes()).Push(p => p.Body("a"))
            .Then().AfterStart(1.Hours()).Push(p => p.Body("b"))
            .Then().AfterStart(24.Hours()).Push(p => p.Body("c"))
            .Build());
        var start = harness.Clock.Now;

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(3.Days());

        harness.Sent.Select(s => s.At - start).Should().Equal(5.Minutes(), 1.Hours(), 24.Hours());
    }

    [Fact]
    public async Task StepWithoutTiming_RunsAsSoonAsThePreviousOne()
    {
        using var harness = new JourneyTestHarness(Checkout()
            .Push(p => p.Body("now"))
            .Then().Sms(s => s.Text("right after"))
            .Build());
        var start = harness.Clock.Now;

        await harness.PublishAsync(Shop.Abandoned());

        harness.Sent.Select(s => (s.StepId, s.At)).Should().Equal(("push-1", start), ("sms-1", start));
    }

    [Fact]
    public void DurationExtensions_ReturnNodaTimeDurations()
    {
        250.Milliseconds().Should().Be(Duration.FromMilliseconds(250));
        30.Seconds().Should().Be(Duration.FromSeconds(30));
        5.Minutes().Should().Be(Duration.FromMinutes(5));
        1.Hours().Should().Be(Duration.FromHours(1));
        2.Days().Should().Be(Duration.FromHours(48));
    }

    [Fact]
    public async Task PushEmailSms_RenderEveryField()
    {
        using var harness = new JourneyTestHarness(Checkout()
            .Push(p => p.Title("T {{event.OrderId}}").Body("B {{customer.name}}").Icon("⏳").DeepLink("app://pay/{{event.OrderId}}").Data("order", "{{event.OrderId}}"))
            .Email(m => m.Subject("S {{event.OrderId}}").HtmlBody("<b>{{customer.name}}</b>").TextBody("T {{customer.name}}"))
            .Sms(s => s.Text("SMS {{event.Total}}"))
            .Build());

        await harness.PublishAsync(Shop.Abandoned());

        harness.SentOf<PushMessage>().Single().Message.Should().BeEquivalentTo(new
        {
            Title = "T order-1",
            Body = "B Alice",
            Icon = "⏳",
            DeepLink = "app://pay/order-1",
            Data = new Dictionary<string, string> { ["order"] = "order-1" },
        });
        harness.SentOf<EmailMessage>().Single().Message.Should().Be(new EmailMessage("S order-1", "<b>Alice</b>", "T Alice"));
        harness.SentOf<SmsMessage>().Single().Message.Should().Be(new SmsMessage("SMS 49.90"));
    }

    [Fact]
    public async Task Send_HandsACustomMessageToItsChannel()
    {
        using var harness = new JourneyTestHarness(Checkout()
            .Send("notify-crm", c => new WebhookCall("https://crm.example.com/hooks", $"{{\"order\":\"{c.Event.OrderId}\"}}"))
            .Build());

        await harness.PublishAsync(Shop.Abandoned());

        var sent = harness.SentOf<WebhookCall>().Single();
        sent.Message.Should().Be(new WebhookCall("https://crm.example.com/hooks", "{\"order\":\"order-1\"}"));
        sent.StepId.Should().Be("notify-crm");
        (await harness.TimelineAsync("order-1")).Should().Contain(r => r.Kind == JourneyRecordKind.Sent && r.Channel == "webhook");
    }

    [Fact]
    public async Task Do_RunsTheHostActionWithTheStepContext()
    {
        var seen = new List<(string Order, string Step, Instant Now, string Key)>();
        using var harness = new JourneyTestHarness(Journey.When<CheckoutAbandoned>()
            .CorrelateBy(e => e.OrderId)
            .After(10.Minutes()).Do("add-to-crm-list", (c, _) =>
            {
                seen.Add((c.Event.OrderId, c.StepId, c.Now, c.IdempotencyKey));
                return ValueTask.CompletedTask;
            })
            .Build());

        var result = await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(1.Hours());

        seen.Should().Equal(("order-1", "add-to-crm-list", FakeClock.DefaultStart + 10.Minutes(), $"{result.Started[0]}:add-to-crm-list"));
        (await harness.TimelineAsync("order-1")).Should().Contain(r => r.Kind == JourneyRecordKind.Sent && r.Channel == "action");
    }

    [Fact]
    public async Task Compute_IsEvaluatedAtEachSend()
    {
        using var harness = new JourneyTestHarness(Checkout()
            .Compute("minutesLeft", c => (int)(c.StartedAt + 20.Minutes() - c.Now).TotalMinutes)
            .After(5.Minutes()).Push(p => p.Body("{{values.minutesLeft}} min"))
            .Then().After(10.Minutes()).Push(p => p.Body("{{values.minutesLeft}} min"))
            .Build());

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(1.Hours());

        harness.SentOf<PushMessage>().Select(s => s.Message.Body).Should().Equal("15 min", "5 min");
    }

    [Fact]
    public async Task ExitWhen_NotAConversion_EndsTheJourneyAsExited()
    {
        using var harness = new JourneyTestHarness(Checkout()
            .ExitWhen<OrderCancelled>(e => e.OrderId, exit => exit.NotAConversion())
            .After(1.Hours()).Push(p => p.Body("a"))
            .Build());

        await harness.PublishAsync(Shop.Abandoned());
        var result = await harness.PublishAsync(new OrderCancelled("order-1"));
        await harness.AdvanceAsync(2.Hours());

        result.Ended.Should().ContainSingle();
        harness.Sent.Should().BeEmpty();
        var instance = (await harness.InstancesAsync("order-1")).Single();
        instance.Status.Should().Be(JourneyStatus.Exited);
        instance.EndReason.Should().Be("OrderCancelled");
        (await harness.TimelineAsync("order-1"))[^1].Kind.Should().Be(JourneyRecordKind.Exited);
    }

    [Fact]
    public async Task ExitWhen_Where_OnlyMatchingExitEventsEndTheJourney()
    {
        using var harness = new JourneyTestHarness(Checkout()
            .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.Where(e => e.Amount > 0))
            .After(1.Hours()).Push(p => p.Body("a"))
            .Build());

        await harness.PublishAsync(Shop.Abandoned());
        var zero = await harness.PublishAsync(new OrderPaid("order-1", 0m));
        await harness.AdvanceAsync(2.Hours());

        zero.Ended.Should().BeEmpty();
        harness.Sent.Should().ContainSingle();
    }

    [Fact]
    public async Task ForCustomerId_LooksTheCustomerUpAtSendTime()
    {
        var directory = new DictionaryCustomerDirectory();
        directory.Customers["cust-alice"] = Shop.Alice with { Name = "Alice (old)" };
        var journey = Journey.When<CheckoutAbandoned>()
            .CorrelateBy(e => e.OrderId)
            .ForCustomerId(e => e.Customer.Id)
            .After(1.Hours()).Email(m => m.Subject("Hi {{customer.name}}").TextBody("x"))
            .Build();
        using var harness = new JourneyTestHarness([journey], new JourneyTestHarnessOptions { Customers = directory });

        await harness.PublishAsync(Shop.Abandoned());
        directory.Customers["cust-alice"] = Shop.Alice with { Name = "Alice (new)", Email = "new@example.com" };
        await harness.AdvanceAsync(2.Hours());

        var sent = harness.SentOf<EmailMessage>().Single();
        sent.Message.Subject.Should().Be("Hi Alice (new)");
        sent.Recipient.Email.Should().Be("new@example.com");
        (await harness.InstancesAsync("order-1")).Single().CustomerId.Should().Be("cust-alice");
    }

    [Fact]
    public void DescribeAndToMermaid_ShowTriggerStepsAndExits()
    {
        var journey = TestJourneys.CheckoutRecovery();

        journey.Describe().Should().Be(
            "Journey 'checkout-recovery' v1: when CheckoutAbandoned [e => e.SecondsOnPaymentPage > 30]\n"
            .Replace("\n", Environment.NewLine, StringComparison.Ordinal)
            + "  push-reminder (push, +5m after start)" + Environment.NewLine
            + "  email-reminder (email, +1h after start)" + Environment.NewLine
            + "  push-extra-offer (push, +1d after start)" + Environment.NewLine
            + "  exit on OrderPaid (conversion)" + Environment.NewLine);
        journey.ToMermaid().Should().Be(
            """
            flowchart TD
              start(["CheckoutAbandoned<br/>e =#gt; e.SecondsOnPaymentPage #gt; 30"])
              s0["push-reminder<br/>push"]
              s1["email-reminder<br/>email"]
              s2["push-extra-offer<br/>push"]
              start -->|"+5m after start"| s0
              s0 -->|"+1h after start"| s1
              s1 -->|"+1d after start"| s2
              s2 -->|"listens 1d for OrderPaid"| done([completed])
              exit0{{"OrderPaid"}} -.->|converted| end0([converted])

            """.ReplaceLineEndings("\n"));
    }

    private sealed class DictionaryCustomerDirectory : ICustomerDirectory
    {
        public Dictionary<string, Customer> Customers { get; } = [];

        public ValueTask<Customer?> FindAsync(string customerId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Customers.GetValueOrDefault(customerId));
    }
}
