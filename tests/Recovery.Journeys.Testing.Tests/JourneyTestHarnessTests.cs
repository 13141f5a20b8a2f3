using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Testing.Tests;

public sealed class JourneyTestHarnessTests
{
    private sealed record CartAbandoned(string CartId, Customer Customer);

    private sealed record CartPaid(string CartId);

    private static JourneyDefinition Reminders() => Journey.When<CartAbandoned>()
        .Named("reminders")
        .CorrelateBy(e => e.CartId)
        .ForCustomer(e => e.Customer)
        .ExitWhen<CartPaid>(e => e.CartId)
        .After(Duration.FromMinutes(5)).Push(p => p.Body("push {{event.CartId}}"))
        .Then().After(Duration.FromHours(1)).Email(m => m.Subject("mail {{event.CartId}}").TextBody("x"))
        .Build();

    [Fact]
    public async Task ATestReadsLikeTheJourney()
    {
        using var harness = new JourneyTestHarness(Reminders());
        var start = harness.Clock.Now;

        await harness.PublishAsync(new CartAbandoned("cart-1", new Customer("c1") { PushToken = "t1", Email = "c1@example.com" }));
        await harness.AdvanceAsync(Duration.FromHours(1));

        harness.SentOf<PushMessage>().Should().ContainSingle().Which.Should().Match<SentMessage<PushMessage>>(s =>
            s.At == start + Duration.FromMinutes(5) && s.Message.Body == "push cart-1" && s.Recipient.Id == "c1");
        harness.SentOf<EmailMessage>().Should().BeEmpty();

        await harness.PublishAsync(new CartPaid("cart-1"));
        await harness.AdvanceAsync(Duration.FromDays(2));

        harness.Sent.Should().ContainSingle();
        (await harness.TimelineAsync("cart-1")).Select(r => r.Kind).Should().Equal(JourneyRecordKind.Entered, JourneyRecordKind.Sent, JourneyRecordKind.Converted);
    }

    [Fact]
    public async Task Options_SetTheStartStoreAndChannels()
    {
        var store = new InMemoryJourneyStore();
        var start = Instant.FromUtc(2030, 1, 1, 0, 0);
        var refused = 0;
        using var harness = new JourneyTestHarness([Reminders()], new JourneyTestHarnessOptions
        {
            Start = start,
            Store = store,
            ConfigureChannels = channels => channels.Use(new RefusingPush(() => refused++)),
        });

        await harness.PublishAsync(new CartAbandoned("cart-1", new Customer("c1") { PushToken = "t1", Email = "c1@example.com" }));
        await harness.AdvanceAsync(Duration.FromHours(2));

        harness.Clock.Now.Should().Be(start + Duration.FromHours(2));
        harness.Store.Should().BeSameAs(store);
        refused.Should().Be(1);
        harness.SentOf<PushMessage>().Should().BeEmpty("the test's own channel skipped it");
        harness.SentOf<EmailMessage>().Should().ContainSingle();
    }

    [Fact]
    public async Task Instances_AndTimeline_AreFoundByCorrelationKey()
    {
        using var harness = new JourneyTestHarness(Reminders());

        await harness.PublishAsync(new CartAbandoned("cart-1", new Customer("c1") { PushToken = "t1" }));

        (await harness.InstancesAsync("cart-1")).Should().ContainSingle().Which.NextStepId.Should().Be("push-1");
        (await harness.InstancesAsync("cart-2")).Should().BeEmpty();
        (await harness.TimelineAsync("cart-2")).Should().BeEmpty();
    }

    private sealed class RefusingPush(Action onCall) : IChannel<PushMessage>
    {
        public ValueTask<DeliveryReceipt> SendAsync(Delivery<PushMessage> delivery, CancellationToken cancellationToken)
        {
            onCall();
            return ValueTask.FromResult(DeliveryReceipt.Skipped("no device"));
        }
    }
}
