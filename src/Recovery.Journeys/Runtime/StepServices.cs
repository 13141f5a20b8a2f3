using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Runtime;

/// <summary>What a step needs from the engine when it runs: the host's ports, the time source and the settings.</summary>
internal sealed record StepServices(JourneyHostServices Host, TimeProvider TimeProvider, JourneyEngineOptions Options, Ports.IJourneyStore Store);
