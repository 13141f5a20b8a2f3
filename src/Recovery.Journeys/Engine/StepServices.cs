using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;

namespace Recovery.Journeys.Engine;

/// <summary>The host's ports a step calls when it runs.</summary>
internal sealed record StepServices(IChannelResolver Channels, ICustomerDirectory? Customers);
