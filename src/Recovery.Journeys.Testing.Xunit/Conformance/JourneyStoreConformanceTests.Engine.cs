using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Storage;
using Xunit;

namespace Recovery.Journeys.Testing.Xunit.Conformance;

public abstract partial class JourneyStoreConformanceTests
{
    /// <summary>
    /// The engine on this store runs a three-step journey at the steps' own times, each once, with templates filled
    /// from the trigger the store kept.
    /// </summary>
    [Fact]
    public async Task Engine_ThreeStepJourney_SendsEachStepOnceAtItsTime()
    {
        using var harness = new JourneyTestHarness([ConformanceJourneys.Reminders()], new JourneyTestHarnessOptions { Store = Store, Start = Clock.Now });
        var start = harness.Clock.Now;

        await harness.PublishAsync(ConformanceEvent.Sample("order-1", start));
        await harness.AdvanceAsync(Duration.FromDays(2));

        Assert.Equal(
            [("push-reminder", Duration.FromMinutes(5)), ("email-reminder", Duration.FromHours(1)), ("push-extra-offer", Duration.FromHours(24))],
            harness.Sent.Select(s => (s.StepId, s.At - start)));
        Assert.Equal("Commande order-1", harness.SentOf<PushMessage>()[0].Message.Title);
        Assert.Equal("Bonjour Zoë Ångström, 2 × Baskets « Été » 👟", harness.SentOf<EmailMessage>()[0].Message.TextBody);
        var instance = Assert.Single(await harness.InstancesAsync("order-1"));
        Assert.Equal(JourneyStatus.Completed, instance.Status);
        Assert.Equal(
            harness.Sent.Select(s => $"{instance.Id}:{s.StepId}"),
            harness.Sent.Select(s => s.IdempotencyKey));
        Assert.Equal(
            [JourneyRecordKind.Entered, JourneyRecordKind.Sent, JourneyRecordKind.Sent, JourneyRecordKind.Sent, JourneyRecordKind.Completed],
            (await harness.TimelineAsync("order-1")).Select(r => r.Kind));
    }

    /// <summary>On this store, a payment committed before a step is due prevents that step and every later one.</summary>
    [Fact]
    public async Task Engine_PaidBeforeTheSecondStep_SendsNothingMore()
    {
        using var harness = new JourneyTestHarness([ConformanceJourneys.Reminders()], new JourneyTestHarnessOptions { Store = Store, Start = Clock.Now });

        await harness.PublishAsync(ConformanceEvent.Sample("order-1", harness.Clock.Now));
        await harness.AdvanceAsync(Duration.FromMinutes(10));
        harness.Clock.Advance(Duration.FromMinutes(50));
        await harness.Engine.PublishAsync(new ConformanceOrderPaid("order-1", 49.90m));
        await harness.AdvanceAsync(Duration.FromDays(2));

        Assert.Equal(["push-reminder"], harness.Sent.Select(s => s.StepId));
        var instance = Assert.Single(await harness.InstancesAsync("order-1"));
        Assert.Equal(JourneyStatus.Converted, instance.Status);
        var converted = (await harness.TimelineAsync("order-1"))[^1];
        Assert.Equal((JourneyRecordKind.Converted, "push-reminder", 49.90m), (converted.Kind, converted.StepId, converted.Value));
    }

    /// <summary>
    /// On this store, an instance past its last step stays active with no next step for the attribution window (24 h):
    /// a payment in that time converts it, attributed to the last message, and nothing more is sent.
    /// </summary>
    [Fact]
    public async Task Engine_PaidWhileListeningAfterTheLastStep_ConvertsAttributedToTheLastMessage()
    {
        using var harness = new JourneyTestHarness([ConformanceJourneys.Reminders()], new JourneyTestHarnessOptions { Store = Store, Start = Clock.Now });
        var start = harness.Clock.Now;

        await harness.PublishAsync(ConformanceEvent.Sample("order-1", start));
        await harness.AdvanceAsync(Duration.FromHours(30));
        var listening = Assert.Single(await harness.InstancesAsync("order-1"));
        await harness.Engine.PublishAsync(new ConformanceOrderPaid("order-1", 49.90m));

        Assert.Equal((JourneyStatus.Active, null, start + Duration.FromHours(48)), (listening.Status, listening.NextStepId, listening.WakeUpAt));
        Assert.Equal(3, harness.Sent.Count);
        var converted = (await harness.TimelineAsync("order-1"))[^1];
        Assert.Equal((JourneyRecordKind.Converted, "push-extra-offer", "push", 49.90m), (converted.Kind, converted.StepId, converted.Channel, converted.Value));
    }
}

/// <summary>The payment that ends the conformance journey.</summary>
/// <param name="OrderId">The order paid.</param>
/// <param name="Amount">The amount.</param>
internal sealed record ConformanceOrderPaid(string OrderId, decimal Amount);

/// <summary>The journey the conformance facts run on the engine.</summary>
internal static class ConformanceJourneys
{
    public static JourneyDefinition Reminders() =>
        Journey.When<ConformanceEvent>()
            .Named("conformance-reminders")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .ExitWhen<ConformanceOrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
            .AfterStart(Duration.FromMinutes(5)).Push("push-reminder", p => p
                .Title("Commande {{event.OrderId}}")
                .Body("Votre commande n'est pas payée."))
            .Then().AfterStart(Duration.FromHours(1)).Email("email-reminder", m => m
                .Subject("Finalisez votre commande")
                .HtmlBody("<p>Bonjour {{customer.name}}</p>")
                .TextBody("Bonjour {{customer.name}}, {{#each event.Items}}{{#if @first}}{{Quantity}} × {{Name}}{{/if}}{{/each}}"))
            .Then().AfterStart(Duration.FromHours(24)).Push("push-extra-offer", p => p
                .Body("Payez dans les 30 minutes pour 10 % de remise supplémentaire !"))
            .Build();
}
