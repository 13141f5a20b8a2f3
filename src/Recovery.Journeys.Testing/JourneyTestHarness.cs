using NodaTime;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;

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
    private readonly List<SuppressedStart> _suppressed = [];

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

    /// <summary>The clock; advance it through <see cref="AdvanceAsync(Duration, CancellationToken)"/> or directly.</summary>
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
    public Task<PublishResult> PublishAsync<TEvent>(TEvent @event)
        where TEvent : class => PublishAsync(@event, CancellationToken.None);

    /// <summary>Publishes an event, then runs whatever became due at once (a step without delay).</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <param name="event">The event.</param>
    /// <param name="cancellationToken">Cancels the publication and the run.</param>
    public async Task<PublishResult> PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken)
        where TEvent : class
    {
        var result = await Engine.PublishAsync(@event, cancellationToken).ConfigureAwait(false);
        lock (_suppressed)
        {
            _suppressed.AddRange(result.Suppressed);
        }

        await Clock.RunDueAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Advances the clock, running every step that falls due on the way at its own instant.</summary>
    /// <param name="duration">How far to advance.</param>
    public Task AdvanceAsync(Duration duration) => AdvanceAsync(duration, CancellationToken.None);

    /// <summary>Advances the clock, running every step that falls due on the way at its own instant.</summary>
    /// <param name="duration">How far to advance.</param>
    /// <param name="cancellationToken">Stops between two due instants.</param>
    public Task AdvanceAsync(Duration duration, CancellationToken cancellationToken) => Clock.AdvanceAsync(duration, cancellationToken);

    /// <summary>Advances the clock, running every step that falls due on the way at its own instant.</summary>
    /// <param name="duration">How far to advance.</param>
    /// <param name="cancellationToken">Stops between two due instants.</param>
    public Task AdvanceAsync(TimeSpan duration, CancellationToken cancellationToken = default) => Clock.AdvanceAsync(Duration.FromTimeSpan(duration), cancellationToken);

    /// <summary>Returns the instances for a correlation key, oldest first.</summary>
    /// <param name="correlationKey">The key.</param>
    public Task<IReadOnlyList<JourneyInstance>> InstancesAsync(string correlationKey) => InstancesAsync(correlationKey, CancellationToken.None);

    /// <summary>Returns the instances for a correlation key, oldest first.</summary>
    /// <param name="correlationKey">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<IReadOnlyList<JourneyInstance>> InstancesAsync(string correlationKey, CancellationToken cancellationToken)
    {
        // Checked here as well: the in-memory store answers at once and would not notice a cancelled token.
        cancellationToken.ThrowIfCancellationRequested();
        return await Engine.FindInstancesAsync(new JourneyInstanceQuery(CorrelationKey: correlationKey), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the timeline of every instance for a correlation key, oldest instance first.</summary>
    /// <param name="correlationKey">The key.</param>
    public Task<IReadOnlyList<JourneyRecord>> TimelineAsync(string correlationKey) => TimelineAsync(correlationKey, CancellationToken.None);

    /// <summary>Returns the timeline of every instance for a correlation key, oldest instance first.</summary>
    /// <param name="correlationKey">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<IReadOnlyList<JourneyRecord>> TimelineAsync(string correlationKey, CancellationToken cancellationToken)
    {
        var timeline = new List<JourneyRecord>();
        foreach (var instance in await InstancesAsync(correlationKey, cancellationToken).ConfigureAwait(false))
        {
            timeline.AddRange(await Engine.GetTimelineAsync(instance.Id, cancellationToken).ConfigureAwait(false));
        }

        return timeline;
    }

    /// <summary>
    /// Returns the message a step sent for a correlation key, or fails with why it was not sent: skipped (no push
    /// token, no consent), deferred (quiet hours), not due yet, or the instance ended first (paid) — with the timeline.
    /// </summary>
    /// <param name="correlationKey">The key (the order or cart id).</param>
    /// <param name="stepId">The step.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The first message the step sent for that key.</returns>
    /// <exception cref="JourneyExpectationException">The step sent nothing for that key; the message says why.</exception>
    public async Task<SentMessage> ExpectSentAsync(string correlationKey, string stepId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(correlationKey);
        ArgumentNullException.ThrowIfNull(stepId);
        if (SentBy(correlationKey, stepId).FirstOrDefault() is { } sent)
        {
            return sent;
        }

        var story = await StoryAsync(correlationKey, cancellationToken).ConfigureAwait(false);
        throw new JourneyExpectationException($"Expected step '{stepId}' to send a message for '{correlationKey}', but {story.WhyNotSent(stepId)}.{Environment.NewLine}{story}");
    }

    /// <summary>Fails, with what was sent and the timeline, when a step sent a message for a correlation key.</summary>
    /// <param name="correlationKey">The key (the order or cart id).</param>
    /// <param name="stepId">The step.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="JourneyExpectationException">The step sent something for that key.</exception>
    public async Task ExpectNotSentAsync(string correlationKey, string stepId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(correlationKey);
        ArgumentNullException.ThrowIfNull(stepId);
        var sent = SentBy(correlationKey, stepId).ToList();
        if (sent.Count > 0)
        {
            var story = await StoryAsync(correlationKey, cancellationToken).ConfigureAwait(false);
            var at = string.Join(", ", sent.Select(s => $"{s.Body.GetType().Name} to {s.Recipient.Id} at {JourneyStory.Format(s.At)}"));
            throw new JourneyExpectationException($"Expected step '{stepId}' to send nothing for '{correlationKey}', but it sent {at}.{Environment.NewLine}{story}");
        }
    }

    /// <summary>Describes what happened to a correlation key: each instance's status and timeline, and the starts refused or suppressed.</summary>
    /// <param name="correlationKey">The key (the order or cart id).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<string> DescribeAsync(string correlationKey, CancellationToken cancellationToken = default) =>
        (await StoryAsync(correlationKey, cancellationToken).ConfigureAwait(false)).ToString();

    private IEnumerable<SentMessage> SentBy(string correlationKey, string stepId) =>
        Sent.Where(s => s.CorrelationKey == correlationKey && s.StepId == stepId);

    private async Task<JourneyStory> StoryAsync(string correlationKey, CancellationToken cancellationToken)
    {
        var chapters = new List<JourneyStory.Chapter>();
        foreach (var instance in await InstancesAsync(correlationKey, cancellationToken).ConfigureAwait(false))
        {
            var timeline = await Engine.GetTimelineAsync(instance.Id, cancellationToken).ConfigureAwait(false);
            var journey = Engine.Journeys.FirstOrDefault(j => j.Name == instance.JourneyName && j.Version == instance.JourneyVersion);
            chapters.Add(new JourneyStory.Chapter(instance, journey, timeline));
        }

        List<SuppressedStart> suppressed;
        lock (_suppressed)
        {
            suppressed = [.. _suppressed.Where(s => s.CorrelationKey == correlationKey)];
        }

        return new JourneyStory(correlationKey, Clock.Now, chapters, suppressed, Engine.Journeys);
    }

    /// <summary>Stops the clock from driving the engine.</summary>
    public void Dispose() => _drive.Dispose();
}
