using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;
using Recovery.Journeys.Timing;

namespace CheckoutRecovery.Tests.Documentation;

/// <summary>
/// The journeys of docs/timing-and-control.md, run on the fake clock: each does what the page says. Expected instants
/// are local times turned into instants with NodaTime, not with the library's own rules.
/// </summary>
public sealed class TimingSnippetsTests
{
    private static readonly DateTimeZone Paris = DateTimeZoneProviders.Tzdb["Europe/Paris"];
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    [Fact]
    public async Task QuietHours_AnSmsDueInsideItsWindow_WaitsForTheWindowsEnd_AndTheEmailGoesAt10NextDayButOne_InTheCustomersZone()
    {
        using var harness = new JourneyTestHarness(TimingSnippets.QuietHours());

        // 19:30 in Paris (the journey's default zone): the SMS is due at 20:30, inside the SMS window 20:00-09:00.
        await harness.Clock.AdvanceToAsync(Local(2026, 1, 5, 19, 30, Paris));
        await harness.PublishAsync(Abandoned("paris", timeZone: null));
        await harness.PublishAsync(Abandoned("new-york", timeZone: "America/New_York"));
        await harness.AdvanceAsync(4.Days());

        harness.Sent.Where(s => s.Recipient.Id == "paris").Select(s => (s.StepId, s.At)).Should().Equal(
            ("sms-1", Local(2026, 1, 6, 9, 0, Paris)),
            ("email-1", Local(2026, 1, 7, 10, 0, Paris)));
        (await harness.TimelineAsync("paris")).Should().Contain(r =>
            r.Kind == JourneyRecordKind.Deferred && r.StepId == "sms-1" && r.Detail!.StartsWith("quiet hours 20:00-09:00", StringComparison.Ordinal)
            && r.Detail.EndsWith("in Europe/Paris, until 2026-01-06 09:00 local", StringComparison.Ordinal));

        // The customer's own zone wins over the default: 13:30 in New York, nothing quiet there.
        harness.Sent.Where(s => s.Recipient.Id == "new-york").Select(s => (s.StepId, s.At)).Should().Equal(
            ("sms-1", Local(2026, 1, 5, 14, 30, NewYork)),
            ("email-1", Local(2026, 1, 7, 10, 0, NewYork)));
        foreach (var sent in harness.Sent)
        {
            var local = sent.At.InZone(sent.Recipient.Id == "paris" ? Paris : NewYork).TimeOfDay;
            var quietFrom = sent.StepId == "sms-1" ? new LocalTime(20, 0) : new LocalTime(21, 0);
            var quietTo = sent.StepId == "sms-1" ? new LocalTime(9, 0) : new LocalTime(8, 0);
            (local >= quietFrom || local < quietTo).Should().BeFalse($"{sent.StepId} to {sent.Recipient.Id} went at {local}, inside its quiet hours");
        }
    }

    [Fact]
    public async Task WhileActive_APushWaitsUntilTheCustomerHasBeenInactiveFor15Minutes()
    {
        var activity = new CustomerActivityTracker();
        using var harness = new JourneyTestHarness([TimingSnippets.WhileActive()], new JourneyTestHarnessOptions { Activity = activity });
        var start = harness.Clock.Now;

        await harness.PublishAsync(Cart("browsing", "alice"));
        await harness.PublishAsync(Cart("gone", "bob"));
        await harness.AdvanceAsync(25.Minutes());
        activity.Record("alice", harness.Clock.Now); // Alice is back on the site at +25 min
        await harness.AdvanceAsync(2.Hours());

        harness.Sent.Select(s => (s.Recipient.Id, s.At - start)).Should().Equal(
            ("bob", 30.Minutes()),
            ("alice", 40.Minutes())); // 15 minutes after her last page view, not at +30 min
        (await harness.TimelineAsync("browsing")).Should().Contain(r => r.Kind == JourneyRecordKind.Deferred && r.Detail == "the customer was active 5m ago");
    }

    [Fact]
    public async Task TrackActivity_RegistersTheTrackerTheEngineAsks()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();

        var tracker = TimingSnippets.TrackActivity(services);

        await using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ICustomerActivity>(provider).Should().BeSameAs(tracker);
    }

    [Fact]
    public async Task StageBased_AtThePaymentStage_EmailsAfter5Minutes_ElseAfter2Days_ThenBothPushADayLater()
    {
        using var harness = new JourneyTestHarness(TimingSnippets.StageBased());
        var start = harness.Clock.Now;

        await harness.PublishAsync(Cart("at-payment", "alice", CheckoutStage.Payment));
        await harness.PublishAsync(Cart("at-shipping", "bob", CheckoutStage.Shipping));
        await harness.AdvanceAsync(4.Days());

        Sends(harness, "alice", start).Should().Equal(
            ("email", "Vous avez rencontré un problème lors de votre commande ?", 5.Minutes()),
            ("push", "Dernier rappel", 1.Days() + 5.Minutes()));
        Sends(harness, "bob", start).Should().Equal(
            ("email", "Votre panier vous attend", 2.Days()),
            ("push", "Dernier rappel", 3.Days()));
        (await harness.TimelineAsync("at-payment")).Should().Contain(r => r.Kind == JourneyRecordKind.Branched && r.Detail == "then");
        (await harness.TimelineAsync("at-shipping")).Should().Contain(r => r.Kind == JourneyRecordKind.Branched && r.Detail == "else");
    }

    [Fact]
    public async Task PaymentRetry_ARetryWithin2Hours_Pushes30MinutesAfterIt_OtherwiseAnEmailAt2Hours()
    {
        using var harness = new JourneyTestHarness(TimingSnippets.PaymentRetry());
        var start = harness.Clock.Now;

        await harness.PublishAsync(Cart("retried", "alice"));
        await harness.PublishAsync(Cart("silent", "bob"));
        await harness.AdvanceAsync(45.Minutes());
        await harness.PublishAsync(new PaymentRetried("retried"));
        await harness.AdvanceAsync(1.Days());

        Sends(harness, "alice", start).Should().Equal(
            ("push", "Un souci de paiement ?", Duration.Zero),
            ("push", "Vous y êtes presque !", 45.Minutes() + 30.Minutes())); // timed from the event's arrival
        Sends(harness, "bob", start).Should().Equal(
            ("push", "Un souci de paiement ?", Duration.Zero),
            ("email", "Besoin d'aide pour payer ?", 2.Hours()));
        (await harness.TimelineAsync("retried")).Select(r => r.Kind).Should().ContainInOrder(JourneyRecordKind.Waiting, JourneyRecordKind.Resumed);
        (await harness.TimelineAsync("silent")).Select(r => r.Kind).Should().ContainInOrder(JourneyRecordKind.Waiting, JourneyRecordKind.TimedOut);
    }

    [Fact]
    public async Task LatestCart_ANewerCartSupersedesTheOlder_AnUpdateRestartsTheWait_OneReminderAboutTheLatestCart()
    {
        using var harness = new JourneyTestHarness(TimingSnippets.OneReminderAboutTheLatestCart());
        var start = harness.Clock.Now;

        await harness.PublishAsync(Cart("cart-1", "alice"));
        await harness.AdvanceAsync(20.Minutes());
        (await harness.PublishAsync(Cart("cart-2", "alice"))).Ended.Should().ContainSingle();
        await harness.AdvanceAsync(40.Minutes());
        await harness.PublishAsync(new CartUpdated("cart-2")); // at +60 min: the hour starts again
        await harness.AdvanceAsync(3.Hours());

        var latest = (await harness.InstancesAsync("cart-2")).Single();
        harness.Sent.Select(s => (s.InstanceId, s.At - start)).Should().Equal((latest.Id, 2.Hours()));
        (await harness.InstancesAsync("cart-1")).Single().EndReason.Should().Be("superseded by a newer CartAbandoned (cart-2)");
        (await harness.TimelineAsync("cart-2")).Should().Contain(r => r.Kind == JourneyRecordKind.WaitRestarted);
    }

    [Fact]
    public async Task LatestCart_AJourneyOfHigherPriority_EndsIt_AndItCannotStartBesideThatJourney()
    {
        var rescue = Journey.When<CartAbandoned>(e => e.Stage == CheckoutStage.Payment)
            .Named("payment-rescue")
            .CorrelateBy(e => $"rescue-{e.CartId}")
            .ForCustomer(e => e.Customer)
            .Priority(10)
            .After(10.Minutes()).Push(p => p.Body("Un souci de paiement ?"))
            .Build();
        using var harness = new JourneyTestHarness(TimingSnippets.OneReminderAboutTheLatestCart(), rescue);

        await harness.PublishAsync(Cart("cart-1", "alice"));
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        try
        {
            await harness.AdvanceAsync(5.Minutes());
            await TimingSnippets.PublishAsync(harness.Engine, Cart("cart-2", "alice", CheckoutStage.Payment));
        }
        finally
        {
            Console.SetOut(console);
        }

        await harness.AdvanceAsync(2.Hours());

        (await harness.InstancesAsync("cart-1")).Single().EndReason.Should().Be("preempted by journey 'payment-rescue'");
        output.ToString().Trim().Should().Be("latest-cart did not start for cart-2: the customer is in journey 'payment-rescue' of priority 10 (this one: 5)");
        harness.Sent.Select(s => s.Body).OfType<PushMessage>().Select(p => p.Body).Should().Equal("Un souci de paiement ?");
    }

    private static CheckoutAbandoned Abandoned(string customerId, string? timeZone) =>
        new(customerId, new Customer(customerId) { Phone = "+33600000000", Email = $"{customerId}@example.com", TimeZone = timeZone }, [], 10m, 45);

    private static CartAbandoned Cart(string cartId, string customerId, CheckoutStage stage = CheckoutStage.Cart) =>
        new(cartId, new Customer(customerId) { PushToken = $"token-{customerId}", Email = $"{customerId}@example.com" }, stage, 10m);

    private static List<(string Channel, string Text, Duration After)> Sends(JourneyTestHarness harness, string customerId, Instant start) =>
        harness.Sent.Where(s => s.Recipient.Id == customerId).Select(s => s.Body switch
        {
            EmailMessage email => ("email", email.Subject, s.At - start),
            PushMessage push => ("push", push.Body, s.At - start),
            _ => ("other", s.Body.ToString()!, s.At - start),
        }).ToList();

    private static Instant Local(int year, int month, int day, int hour, int minute, DateTimeZone zone) =>
        new LocalDateTime(year, month, day, hour, minute).InZoneStrictly(zone).ToInstant();
}
