using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;

namespace Recovery.Journeys.Testing.Tests;

/// <summary>
/// The harness's expectations fail with the reason a message is missing, not only a list diff: each reason is produced
/// by a different path through the journey, and the expected wording is written from the journey, not read back from it.
/// </summary>
public sealed class JourneyTestHarnessExpectationTests
{
    private sealed record CartAbandoned(string CartId, Customer Customer);

    private sealed record CartPaid(string CartId);

    private static readonly Instant Monday = Instant.FromUtc(2026, 1, 5, 10, 0);

    private static JourneyDefinition Reminders() => Journey.When<CartAbandoned>()
        .Named("reminders")
        .CorrelateBy(e => e.CartId)
        .ForCustomer(e => e.Customer)
        .ExitWhen<CartPaid>(e => e.CartId)
        .After(TimeSpan.FromMinutes(5)).Push("push-reminder", p => p.Body("push {{event.CartId}}"))
        .Then().After(TimeSpan.FromHours(1)).Email("email-reminder", m => m.Subject("mail {{event.CartId}}").TextBody("x"))
        .Build();

    private static JourneyTestHarness Harness(JourneyDefinition journey) =>
        new([journey], new JourneyTestHarnessOptions { Start = Monday });

    private static Customer WithPushToken(string id) => new(id) { PushToken = "token-" + id, Email = id + "@example.com" };

    [Fact]
    public async Task ExpectSent_AStepThatSent_ReturnsItsMessage()
    {
        using var harness = Harness(Reminders());
        await harness.PublishAsync(new CartAbandoned("cart-1", WithPushToken("c1")));
        await harness.AdvanceAsync(TimeSpan.FromMinutes(5));

        var sent = await harness.ExpectSentAsync("cart-1", "push-reminder");

        sent.Body.Should().BeOfType<PushMessage>().Which.Body.Should().Be("push cart-1");
        sent.At.Should().Be(Monday + Duration.FromMinutes(5));
    }

    [Fact]
    public async Task ExpectSent_BeforeTheStepIsDue_SaysWhenItIsDueAndThatTheClockMustAdvance()
    {
        using var harness = Harness(Reminders());
        await harness.PublishAsync(new CartAbandoned("cart-1", WithPushToken("c1")));

        var failure = await FluentActions.Awaiting(() => harness.ExpectSentAsync("cart-1", "push-reminder")).Should().ThrowAsync<JourneyExpectationException>();

        failure.Which.Message.Should().StartWith("Expected step 'push-reminder' to send a message for 'cart-1', but it is due at 2026-01-05T10:05:00Z and the clock reads 2026-01-05T10:00:00Z: advance the clock.")
            .And.Contain("reminders v1").And.Contain("Entered");
    }

    [Fact]
    public async Task ExpectSent_ACustomerWithoutAPushToken_SaysTheStepWasSkippedAndWhy()
    {
        using var harness = Harness(Reminders());
        await harness.PublishAsync(new CartAbandoned("cart-1", new Customer("c1") { Email = "c1@example.com" }));
        await harness.AdvanceAsync(TimeSpan.FromMinutes(5));

        var failure = await FluentActions.Awaiting(() => harness.ExpectSentAsync("cart-1", "push-reminder")).Should().ThrowAsync<JourneyExpectationException>();

        failure.Which.Message.Should().StartWith("Expected step 'push-reminder' to send a message for 'cart-1', but it was skipped at 2026-01-05T10:05:00Z:")
            .And.Contain("Skipped push-reminder");
    }

    [Fact]
    public async Task ExpectSent_AfterTheOrderWasPaid_SaysTheInstanceEndedBeforeTheStep()
    {
        using var harness = Harness(Reminders());
        await harness.PublishAsync(new CartAbandoned("cart-1", WithPushToken("c1")));
        await harness.AdvanceAsync(TimeSpan.FromMinutes(30));
        await harness.PublishAsync(new CartPaid("cart-1"));
        await harness.AdvanceAsync(TimeSpan.FromHours(2));

        var failure = await FluentActions.Awaiting(() => harness.ExpectSentAsync("cart-1", "email-reminder")).Should().ThrowAsync<JourneyExpectationException>();

        failure.Which.Message.Should().StartWith("Expected step 'email-reminder' to send a message for 'cart-1', but the instance ended before it: Converted at 2026-01-05T10:30:00Z");
    }

    [Fact]
    public async Task ExpectSent_AStepDeferredByQuietHours_SaysSoAndWhenItIsNowDue()
    {
        var journey = Journey.When<CartAbandoned>()
            .Named("quiet")
            .CorrelateBy(e => e.CartId)
            .ForCustomer(e => e.Customer)
            .QuietHours(new LocalTime(21, 0), new LocalTime(8, 0))
            .After(TimeSpan.FromHours(1)).Push("late-push", p => p.Body("x"))
            .Build();
        using var harness = new JourneyTestHarness([journey], new JourneyTestHarnessOptions { Start = Instant.FromUtc(2026, 1, 5, 20, 30) });
        await harness.PublishAsync(new CartAbandoned("cart-1", WithPushToken("c1")));
        await harness.AdvanceAsync(TimeSpan.FromHours(2));

        var failure = await FluentActions.Awaiting(() => harness.ExpectSentAsync("cart-1", "late-push")).Should().ThrowAsync<JourneyExpectationException>();

        failure.Which.Message.Should().StartWith("Expected step 'late-push' to send a message for 'cart-1', but it was deferred at 2026-01-05T21:30:00Z:")
            .And.Contain("it is now due at 2026-01-06T08:00:00Z");
    }

    [Fact]
    public async Task ExpectSent_NoInstanceForTheKey_SaysNoTriggerWasPublished()
    {
        using var harness = Harness(Reminders());
        await harness.PublishAsync(new CartAbandoned("cart-1", WithPushToken("c1")));

        var failure = await FluentActions.Awaiting(() => harness.ExpectSentAsync("cart-2", "push-reminder")).Should().ThrowAsync<JourneyExpectationException>();

        failure.Which.Message.Should().StartWith("Expected step 'push-reminder' to send a message for 'cart-2', but no instance started for it: no trigger with that correlation key was published.")
            .And.Contain("nothing: journeys reminders have no instance for it");
    }

    [Fact]
    public async Task ExpectSent_AStepIdThatDoesNotExist_ListsTheJourneysSteps()
    {
        using var harness = Harness(Reminders());
        await harness.PublishAsync(new CartAbandoned("cart-1", WithPushToken("c1")));

        var failure = await FluentActions.Awaiting(() => harness.ExpectSentAsync("cart-1", "sms-reminder")).Should().ThrowAsync<JourneyExpectationException>();

        failure.Which.Message.Should().StartWith("Expected step 'sms-reminder' to send a message for 'cart-1', but no journey of its instances has a step 'sms-reminder' (reminders: push-reminder, email-reminder).");
    }

    [Fact]
    public async Task ExpectNotSent_AStepThatSent_FailsWithWhatItSentAndWhen()
    {
        using var harness = Harness(Reminders());
        await harness.PublishAsync(new CartAbandoned("cart-1", WithPushToken("c1")));
        await harness.AdvanceAsync(TimeSpan.FromMinutes(10));

        await harness.ExpectNotSentAsync("cart-1", "email-reminder");
        var failure = await FluentActions.Awaiting(() => harness.ExpectNotSentAsync("cart-1", "push-reminder")).Should().ThrowAsync<JourneyExpectationException>();

        failure.Which.Message.Should().StartWith("Expected step 'push-reminder' to send nothing for 'cart-1', but it sent PushMessage to c1 at 2026-01-05T10:05:00Z.");
    }

    [Fact]
    public async Task Describe_TellsEachInstanceWithItsTimelineAndOffsets()
    {
        using var harness = Harness(Reminders());
        await harness.PublishAsync(new CartAbandoned("cart-1", WithPushToken("c1")));
        await harness.AdvanceAsync(TimeSpan.FromMinutes(5));
        await harness.PublishAsync(new CartPaid("cart-1"));

        var story = await harness.DescribeAsync("cart-1");

        var lines = story.Split(Environment.NewLine);
        lines[0].Should().Be("What happened to 'cart-1' (the clock reads 2026-01-05T10:05:00Z):");
        lines[1].Should().StartWith("  reminders v1, instance ").And.Contain("Converted");
        lines[2].Should().Be("    2026-01-05T10:00:00Z +0:00:00:00  Entered");
        lines[3].Should().StartWith("    2026-01-05T10:05:00Z +0:00:05:00  Sent push-reminder (push)");
        lines[4].Should().StartWith("    2026-01-05T10:05:00Z +0:00:05:00  Converted");
    }

    [Fact]
    public async Task HarnessMethods_HonourTheirCancellationToken()
    {
        using var harness = Harness(Reminders());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await FluentActions.Awaiting(() => harness.PublishAsync(new CartAbandoned("cart-1", WithPushToken("c1")), cancelled.Token)).Should().ThrowAsync<OperationCanceledException>();
        await FluentActions.Awaiting(() => harness.TimelineAsync("cart-1", cancelled.Token)).Should().ThrowAsync<OperationCanceledException>();
        await FluentActions.Awaiting(() => harness.ExpectSentAsync("cart-1", "push-reminder", cancelled.Token)).Should().ThrowAsync<OperationCanceledException>();
    }
}
