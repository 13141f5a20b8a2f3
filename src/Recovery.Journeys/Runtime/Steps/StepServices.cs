using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Runtime.Steps;

/// <summary>What a step needs from the engine when it runs: the host's ports, the channels, the time source and the settings.</summary>
/// <param name="Host">The host's ports.</param>
/// <param name="Senders">The host's channel for each message kind the journeys send.</param>
/// <param name="TimeProvider">The only time source.</param>
/// <param name="Options">The engine's settings (a copy of the caller's, validated).</param>
/// <param name="Store">The store, for the rules that read a customer's history (caps, coupon guards).</param>
/// <param name="CustomerMessageChannels">The channels that speak to the customer, the ones frequency caps count.</param>
internal sealed record StepServices(
    JourneyHostServices Host,
    ChannelSenders Senders,
    TimeProvider TimeProvider,
    JourneyEngineOptions Options,
    IJourneyStore Store,
    IReadOnlySet<string> CustomerMessageChannels);
