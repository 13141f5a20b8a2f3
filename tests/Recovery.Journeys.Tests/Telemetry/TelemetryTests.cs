using Microsoft.Extensions.Logging;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Telemetry;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Telemetry;

public sealed class TelemetryTests
{
    // A customer no log line, metric or trace may mention: every piece is distinctive enough to be found anywhere.
    private static readonly Customer Zephyrine = new("cust-7f3a")
    {
        Name = "Zéphyrine Quibblethwaite",
        Email = "zephyrine.quibblethwaite@pii-check.example",
        Phone = "+33699887766",
        PushToken = "push-token-zq",
    };

    private static readonly string[] PersonalData = ["Zéphyrine", "Quibblethwaite", "zephyrine", "pii-check.example", "+33699887766", "699887766", "push-token-zq"];

    [Fact]
    public async Task NoPersonalData_ReachesLogsMetricsOrTraces_EvenWhenChannelsAndSelectorsThrowWithIt()
    {
        using var capture = new TelemetryCapture("pii-check");
        var failAtStep = false;
        var journey = Journey.When<CheckoutAbandoned>().Named("pii-check").CorrelateBy(e => e.OrderId)
            .ForCustomer(e => failAtStep && e.OrderId == "order-2" ? throw new InvalidOperationException($"no profile for {e.Customer.Name} <{e.Customer.Email}>") : e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId, x => x.WithValue(e => e.Amount))
            .After(5.Minutes()).Push("push-reminder", p => p.Body("Bonjour {{customer.name}}, votre commande attend."))
            .Then().After(1.Hours()).Sms("sms-reminder", m => m.Text("{{customer.name}}, payez maintenant"))
            .Then().After(1.Hours()).Email("email-reminder", m => m.Subject("{{customer.name}}").TextBody("Écrivez-nous à {{customer.email}}"))
            .Build();

        // The push provider fails with a message quoting the customer, as real providers do; the SMS is sent; the e-mail
        // provider refuses the address for good.
        var push = new ScriptedChannel<PushMessage>((d, _) => throw new HttpRequestException($"token {d.Recipient.PushToken} of {d.Recipient.Name} rejected"));
        var email = new ScriptedChannel<EmailMessage>((d, _) => throw new PermanentDeliveryException($"550 mailbox {d.Recipient.Email} unknown"));
        using var loggerFactory = LoggerFactory.Create(l => l.AddProvider(capture).SetMinimumLevel(LogLevel.Trace));
        using var harness = new JourneyTestHarness([journey], new JourneyTestHarnessOptions
        {
            LoggerFactory = loggerFactory,
            ConfigureChannels = c => c.Use(push).Use(email),
        });

        await harness.PublishAsync(Shop.Abandoned("order-1", customer: Zephyrine));
        await harness.PublishAsync(Shop.Abandoned("order-2", customer: Zephyrine));
        failAtStep = true;
        await harness.AdvanceAsync(3.Hours());
        await harness.PublishAsync(new OrderPaid("order-1", 49.90m));

        // The failures happened and were recorded (with their text) in the shop's own store.
        (await harness.TimelineAsync("order-1")).Should().Contain(r => r.Kind == JourneyRecordKind.Failed && r.StepId == "push-reminder")
            .And.Contain(r => r.Kind == JourneyRecordKind.Sent && r.StepId == "sms-reminder")
            .And.Contain(r => r.Kind == JourneyRecordKind.Failed && r.StepId == "email-reminder");
        (await harness.TimelineAsync("order-2")).Should().Contain(r => r.Kind == JourneyRecordKind.Failed && r.Detail!.StartsWith("InvalidOperationException", StringComparison.Ordinal));

        // Something of every kind was captured, so the check below is not vacuous.
        capture.Logs.Select(l => l.EventId.Id).Should().Contain([101, 110, 111, 102]);
        capture.Logs.Should().Contain(l => l.EventId.Id == 111 && l.Message.Contains("InvalidOperationException", StringComparison.Ordinal));
        capture.Measurements.Select(m => m.Instrument).Should().Contain(["recovery.journeys.entered", "recovery.journeys.messages.sent", "recovery.journeys.messages.failed", "recovery.journeys.step.lateness", "recovery.journeys.exited"]);
        capture.Activities.Should().HaveCountGreaterThanOrEqualTo(6);

        capture.AllText().Where(text => PersonalData.Any(p => text.Contains(p, StringComparison.OrdinalIgnoreCase))).Should().BeEmpty();
    }

    [Fact]
    public async Task Logs_EveryEntryHasAnEventId()
    {
        using var capture = new TelemetryCapture("event-ids");
        using var loggerFactory = LoggerFactory.Create(l => l.AddProvider(capture).SetMinimumLevel(LogLevel.Trace));
        var journey = Journey.When<CheckoutAbandoned>().Named("event-ids").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId).Cooldown(1.Days())
            .Push(p => p.Body("x")).Build();
        using var harness = new JourneyTestHarness([journey], new JourneyTestHarnessOptions { LoggerFactory = loggerFactory });

        await harness.PublishAsync(Shop.Abandoned("order-1"));
        await harness.PublishAsync(Shop.Abandoned("order-2"));
        await harness.PublishAsync(new NewsletterSignedUp("x"));
        await harness.AdvanceAsync(1.Minutes());
        await harness.PublishAsync(new OrderPaid("order-1", 1m));

        capture.Logs.Should().NotBeEmpty().And.OnlyContain(l => l.EventId.Id != 0);
        capture.Logs.Select(l => l.EventId.Id).Should().Contain([100, 101, 102, 103, 110]);
        capture.Logs.GroupBy(l => l.EventId.Id).Should().OnlyContain(g => g.Select(l => l.EventId.Name).Distinct().Count() == 1, "one event id per kind of event");
    }

    [Fact]
    public async Task Metrics_CountEntriesExitsAndMessagesByChannel_AndStepLateness()
    {
        using var capture = new TelemetryCapture("metrics");
        var journey = Journey.When<CheckoutAbandoned>().Named("metrics").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId)
            .Holdout(50)
            .AfterStart(5.Minutes()).Push("push-reminder", p => p.Body("x"))
            .Then().Email("email-reminder", m => m.Subject("s").TextBody("x"))
            .Build();
        var customers = Enumerable.Range(0, 200).Select(i => $"c-{i}").ToList();
        var treated = customers.First(c => !journey.IsInHoldout(c));
        var held = customers.First(journey.IsInHoldout);
        var clock = new FakeClock();
        var channels = new RecordingChannels(clock).Use(ScriptedChannel<EmailMessage>.Throwing("down"));
        var engine = new JourneyEngine([journey], new InMemoryJourneyStore(), new JourneyHostServices { Channels = channels }, clock,
            new JourneyEngineOptions { MaxConcurrentSteps = 1, Retry = new RetryOptions { MaxAttempts = 1 } });

        await engine.PublishAsync(Shop.Abandoned("order-1", customer: new Customer(treated) { Email = "a@example.com", PushToken = "t" }));
        await engine.PublishAsync(Shop.Abandoned("order-2", customer: new Customer(held) { Email = "b@example.com", PushToken = "t" }));
        clock.Advance(12.Minutes());
        await engine.RunDueAsync();
        await engine.PublishAsync(new OrderPaid("order-1", 1m));

        capture.Sum("recovery.journeys.entered", (JourneyTelemetry.JourneyTag, "metrics")).Should().Be(2);
        capture.Sum("recovery.journeys.entered", (JourneyTelemetry.GroupTag, "holdout")).Should().Be(1);
        capture.Sum("recovery.journeys.messages.sent", (JourneyTelemetry.ChannelTag, "push")).Should().Be(1);
        capture.Sum("recovery.journeys.messages.failed", (JourneyTelemetry.ChannelTag, "email"), (JourneyTelemetry.StepTag, "email-reminder")).Should().Be(1);
        capture.Sum("recovery.journeys.messages.skipped", (JourneyTelemetry.ChannelTag, "push")).Should().Be(1, "the holdout's push is skipped");
        capture.Sum("recovery.journeys.exited", (JourneyTelemetry.OutcomeTag, "converted")).Should().Be(1);

        // The pushes were due at +5 min and ran at +12 min: 420 s late; the e-mails ran right after, on time.
        capture.Measurements.Where(m => m.Instrument == "recovery.journeys.step.lateness" && Equals(m.Tags[JourneyTelemetry.StepTag], "push-reminder"))
            .Select(m => m.Value).Should().Equal(420, 420);
        capture.Measurements.Where(m => m.Instrument == "recovery.journeys.step.lateness" && Equals(m.Tags[JourneyTelemetry.StepTag], "email-reminder"))
            .Select(m => m.Value).Should().Equal(0, 0);
    }

    [Fact]
    public async Task Traces_OneActivityPerStepRun_TaggedWithJourneyStepChannelAndOutcome()
    {
        using var capture = new TelemetryCapture("traces");
        var journey = Journey.When<CheckoutAbandoned>().Named("traces").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .After(5.Minutes()).Push("push-reminder", p => p.Body("x"))
            .Then().Email("email-reminder", m => m.Subject("s").TextBody("x"))
            .Build();
        using var harness = new JourneyTestHarness([journey], new JourneyTestHarnessOptions
        {
            ConfigureChannels = c => c.Use(new ScriptedChannel<EmailMessage>((_, _) => throw new PermanentDeliveryException("550"))),
        });

        var started = await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(1.Hours());

        var activities = capture.Activities.OrderBy(a => a.StartTimeUtc).ToList();
        activities.Select(a => (a.OperationName, a.DisplayName)).Should().Equal(
            ("Recovery.Journeys.RunStep", "traces push-reminder"),
            ("Recovery.Journeys.RunStep", "traces email-reminder"));
        activities[0].TagObjects.Should().Contain(
        [
            new(JourneyTelemetry.JourneyTag, "traces"), new(JourneyTelemetry.VersionTag, 1), new(JourneyTelemetry.StepTag, "push-reminder"),
            new(JourneyTelemetry.ChannelTag, "push"), new(JourneyTelemetry.OutcomeTag, "sent"), new(JourneyTelemetry.InstanceTag, started.Started[0].ToString()),
        ]);
        activities[1].GetTagItem(JourneyTelemetry.OutcomeTag).Should().Be("failed");
        activities[1].Status.Should().Be(System.Diagnostics.ActivityStatusCode.Error);
        activities[1].StatusDescription.Should().Be("failed");
    }
}
