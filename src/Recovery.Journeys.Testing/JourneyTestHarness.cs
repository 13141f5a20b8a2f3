using Microsoft.Extensions.Logging;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Timing;

namespace Recovery.Journeys.Testing;

/// <summary>
/// Runs journeys on a <see cref="FakeClock"/> with recording channels, so a test reads like the journey:
/// publish <c>CheckoutAbandoned</c>, advance one hour, check the push went out at +5 min; publish
/// <c>OrderPaid</c>, advance two days, check nothing more was sent.
/// </summary>
/// <remarks>Steps run one at a time (<see cref="JourneyEngineOptions.MaxConcurrentSteps"/> = 1), so the order of sends is deterministic.</remarks>
public sealed class JourneyTestHarness : IDisposable
{
    private readonly IDisposable _drive;

    /// <summary>Creates a harness for the given journeys with default settings.</summary>
    /// <param name="journeys">The journeys to run.</param>
    public JourneyTestHarness(params JourneyDefinition[] journeys)
        : this(journeys, new JourneyTestHarnessOptions())
    {
    }

    /// <summary>Creates a harness for the given journeys.</summary>
    /// <param name="journeys">The journeys to run.</param>
    /// <param name="options">The clock's start, the store, channels of the test's own, a customer directory.</param>
    public JourneyTestHarness(IEnumerable<JourneyDefinition> journeys, JourneyTestHarnessOptions options)
    {
        ArgumentNullException.ThrowIfNull(journeys);
        ArgumentNullException.ThrowIfNull(options);
        Clock = new FakeClock(options.Start);
        Channels = new RecordingChannels(Clock);
        options.ConfigureChannels?.Invoke(Channels);
        Store = options.Store ?? new InMemoryJourneyStore();
        var engineOptions = new JourneyEngineOptions { MaxConcurrentSteps = 1 };
        foreach (var cap in options.FrequencyCaps)
        {
            engineOptions.FrequencyCaps.Add(cap);
        }

        options.ConfigureEngine?.Invoke(engineOptions);
        var services = new JourneyHostServices
        {
            Channels = Channels,
            Customers = options.Customers,
            Consent = options.Consent,
            Content = new Dictionary<string, IContentProvider>(options.Content, StringComparer.Ordinal),
            UnsubscribeLinks = options.UnsubscribeLinks,
            Coupons = options.Coupons,
            Activity = options.Activity,
        };
        Engine = new JourneyEngine(journeys, Store, services, Clock, engineOptions, scheduler: null, options.LoggerFactory);
        _drive = Clock.Drive(Engine);
    }

    /// <summary>The clock; advance it through <see cref="AdvanceAsync"/> or directly.</summary>
    public FakeClock Clock { get; }

    /// <summary>The engine under test.</summary>
    public JourneyEngine Engine { get; }

    /// <summary>The store.</summary>
    public IJourneyStore Store { get; }

    /// <summary>The recording channels.</summary>
    public RecordingChannels Channels { get; }

    /// <summary>Every message sent so far, in send order.</summary>
    public IReadOnlyList<SentMessage> Sent => Channels.Sent;

    /// <summary>The messages of one kind sent so far.</summary>
    /// <typeparam name="TMessage">The message kind.</typeparam>
    public IReadOnlyList<SentMessage<TMessage>> SentOf<TMessage>()
        where TMessage : class => Channels.SentOf<TMessage>();

    /// <summary>Publishes an event, then runs whatever became due at once (a step without delay).</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <param name="event">The event.</param>
    public async Task<PublishResult> PublishAsync<TEvent>(TEvent @event)
        where TEvent : class
    {
        var result = await Engine.PublishAsync(@event).ConfigureAwait(false);
        await Clock.RunDueAsync().ConfigureAwait(false);
        return result;
    }

    /// <summary>Advances the clock, running every step that falls due on the way at its own instant.</summary>
    /// <param name="duration">How far to advance.</param>
    public Task AdvanceAsync(Duration duration) => Clock.AdvanceAsync(duration);

    /// <summary>Returns the instances for a correlation key, oldest first.</summary>
    /// <param name="correlationKey">The key.</param>
    public async Task<IReadOnlyList<JourneyInstance>> InstancesAsync(string correlationKey) =>
        await Engine.FindInstancesAsync(new JourneyInstanceQuery(CorrelationKey: correlationKey)).ConfigureAwait(false);

    /// <summary>Returns the timeline of every instance for a correlation key, oldest instance first.</summary>
    /// <param name="correlationKey">The key.</param>
    public async Task<IReadOnlyList<JourneyRecord>> TimelineAsync(string correlationKey)
    {
        var timeline = new List<JourneyRecord>();
        foreach (var instance in await InstancesAsync(correlationKey).ConfigureAwait(false))
        {
            timeline.AddRange(await Engine.GetTimelineAsync(instance.Id).ConfigureAwait(false));
        }

        return timeline;
    }

    /// <summary>Stops the clock from driving the engine.</summary>
    public void Dispose() => _drive.Dispose();
}

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
