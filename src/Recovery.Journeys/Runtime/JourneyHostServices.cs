using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Runtime;

/// <summary>The host's implementations of the library's ports, handed to a <see cref="JourneyEngine"/>.</summary>
public sealed class JourneyHostServices
{
    /// <summary>Finds the channel for each message kind. Required.</summary>
    public required IChannelResolver Channels { get; init; }

    /// <summary>Looks customers up by id, for journeys that use <c>ForCustomerId</c>. None by default.</summary>
    public ICustomerDirectory? Customers { get; init; }

    /// <summary>Says whether a customer may be contacted on a channel. None by default: every channel is allowed.</summary>
    public IConsentChecker? Consent { get; init; }

    /// <summary>The content providers, by the name journeys fetch them with. None by default.</summary>
    public IReadOnlyDictionary<string, IContentProvider> Content { get; init; } = new Dictionary<string, IContentProvider>();

    /// <summary>The host's coupon system. None by default: the library makes random codes itself, which your checkout does not know.</summary>
    public ICouponService? Coupons { get; init; }

    /// <summary>Tells when a customer was last active, for journeys that <c>WaitWhileActive</c>. None by default.</summary>
    public ICustomerActivity? Activity { get; init; }

    /// <summary>Makes the customer's unsubscribe link for <c>{{unsubscribeUrl}}</c>. None by default: the link renders empty.</summary>
    public UnsubscribeLinks? UnsubscribeLinks { get; init; }

    /// <summary>
    /// Creates the engine's meter (<c>Recovery.Journeys</c>), so its instruments belong to the host's container. None by
    /// default: the process-wide meter. <c>AddRecoveryJourneys</c> passes the container's.
    /// </summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; init; }
}
