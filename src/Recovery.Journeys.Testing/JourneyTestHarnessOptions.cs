using Microsoft.Extensions.Logging;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Timing;

namespace Recovery.Journeys.Testing;

/// <summary>Settings of a <see cref="JourneyTestHarness"/>.</summary>
public sealed class JourneyTestHarnessOptions
{
    /// <summary>Where the clock starts. The default is <see cref="FakeClock.DefaultStart"/>.</summary>
    public Instant Start { get; set; } = FakeClock.DefaultStart;

    /// <summary>The store. The default is a new <see cref="InMemoryJourneyStore"/>.</summary>
    public IJourneyStore? Store { get; set; }

    /// <summary>The customer directory, for journeys that name customers by id. None by default.</summary>
    public ICustomerDirectory? Customers { get; set; }

    /// <summary>The consent checker. None by default: every channel is allowed.</summary>
    public IConsentChecker? Consent { get; set; }

    /// <summary>Content providers by name, for journeys that <c>Fetch</c> content. None by default.</summary>
    public IDictionary<string, IContentProvider> Content { get; } = new Dictionary<string, IContentProvider>(StringComparer.Ordinal);

    /// <summary>Signs unsubscribe links for <c>{{unsubscribeUrl}}</c>. None by default.</summary>
    public UnsubscribeLinks? UnsubscribeLinks { get; set; }

    /// <summary>The host's coupon service. None by default: codes are generated.</summary>
    public ICouponService? Coupons { get; set; }

    /// <summary>Tells when customers were last active, for journeys that <c>WaitWhileActive</c>. None by default.</summary>
    public ICustomerActivity? Activity { get; set; }

    /// <summary>Frequency caps across the harness's journeys. None by default.</summary>
    public IList<FrequencyCap> FrequencyCaps { get; } = [];

    /// <summary>Where the engine logs. Nowhere by default.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Puts channels of the test's own in place (<c>c =&gt; c.Use(failingPush)</c>).</summary>
    public Action<RecordingChannels>? ConfigureChannels { get; set; }

    /// <summary>Changes the engine's settings; the harness sets <see cref="JourneyEngineOptions.MaxConcurrentSteps"/> to 1 first.</summary>
    public Action<JourneyEngineOptions>? ConfigureEngine { get; set; }
}
