using CheckoutRecovery.Channels;
using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Reports;
using Recovery.Journeys.Storage;

namespace CheckoutRecovery.Simulation;

/// <summary>A message one customer received, as the channel got it.</summary>
/// <param name="At">When the channel was called.</param>
/// <param name="StepId">The step that sent it.</param>
/// <param name="Message">The rendered message: a <see cref="PushMessage"/>, an <see cref="EmailMessage"/>, a <see cref="CrmListUpdate"/>, ...</param>
/// <param name="InstanceId">The journey instance that sent it.</param>
public sealed record ReceivedMessage(Instant At, string StepId, object Message, JourneyInstanceId InstanceId)
{
    /// <summary>The channel's name as timelines write it (<c>push</c>, <c>web-push</c>, <c>crm-list</c>), when known.</summary>
    public string? Channel { get; init; }
}

/// <summary>One customer's story: their journey instance, its timeline from the store, and what the channels got.</summary>
/// <param name="Customer">The simulated customer.</param>
/// <param name="Instance">Their journey instance, as the store has it at the end.</param>
/// <param name="Timeline">The instance's timeline, from the store.</param>
/// <param name="Messages">The messages the channels received for the instance, in send order.</param>
public sealed record CustomerStory(
    SimulatedCustomer Customer,
    JourneyInstance Instance,
    IReadOnlyList<JourneyRecord> Timeline,
    IReadOnlyList<ReceivedMessage> Messages);

/// <summary>What a simulation run produced.</summary>
/// <param name="Options">The population it ran.</param>
/// <param name="Population">Every simulated customer, in abandonment order.</param>
/// <param name="Unpaid">The first customer with an e-mail address who entered the journey and never paid, if any.</param>
/// <param name="PaidAfterFirstPush">The first customer who got the helpful first push and paid before the e-mail, if any.</param>
/// <param name="Holdout">The first customer in the holdout who never paid, if any.</param>
/// <param name="Journey">The journey that ran.</param>
/// <param name="Report">The journey's report, read from the store: funnel, A/B test and holdout.</param>
/// <param name="Pushes">Every push the push channel received.</param>
/// <param name="Emails">Every e-mail the e-mail channel received.</param>
/// <param name="SimulatedUntil">The fake clock's reading at the end.</param>
public sealed record SimulationReport(
    SimulationOptions Options,
    IReadOnlyList<SimulatedCustomer> Population,
    CustomerStory? Unpaid,
    CustomerStory? PaidAfterFirstPush,
    CustomerStory? Holdout,
    JourneyDefinition Journey,
    JourneyReport Report,
    IReadOnlyList<OutboxEntry<PushMessage>> Pushes,
    IReadOnlyList<OutboxEntry<EmailMessage>> Emails,
    Instant SimulatedUntil);
