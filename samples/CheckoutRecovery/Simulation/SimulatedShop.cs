using System.Reflection;
using CheckoutRecovery.Channels;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Hosting;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;

namespace CheckoutRecovery.Simulation;

/// <summary>
/// The shop around the engine in a simulation: the registration a real app makes, with the fake clock as the
/// container's <see cref="TimeProvider"/> and an <see cref="OutboxChannel{TMessage}"/> for every message kind of the
/// library. The shop publishes its events at their instants (<see cref="PublishAtAsync"/>), and the clock runs every
/// step at its own due instant in between, so days of journeys take a second. Every scenario runs on one.
/// </summary>
public sealed class SimulatedShop : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly IDisposable _drive;
    private readonly Dictionary<Type, IOutbox> _outboxes = [];

    private SimulatedShop(IEnumerable<JourneyDefinition> journeys, Instant start, Action<RecoveryJourneysBuilder>? configure)
    {
        Clock = new FakeClock(start);
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(Clock)
            .AddRecoveryJourneys(builder =>
            {
                foreach (var journey in journeys)
                {
                    builder.AddJourney(journey);
                }

                AddOutbox<PushMessage>(builder);
                AddOutbox<WebPushMessage>(builder);
                AddOutbox<EmailMessage>(builder);
                AddOutbox<SmsMessage>(builder);
                AddOutbox<ChatMessage>(builder);
                AddOutbox<OnSiteMessage>(builder);
                AddOutbox<AudienceUpdate>(builder);
                AddOutbox<CrmListUpdate>(builder);
                configure?.Invoke(builder);

                // One step at a time, so every run sends in the same order.
                builder.ConfigureEngine(engine => engine.MaxConcurrentSteps = 1);
            });
        _provider = services.BuildServiceProvider();
        Engine = _provider.GetRequiredService<JourneyEngine>();
        Store = _provider.GetRequiredService<IJourneyStore>();

        // No hosted worker here: the fake clock runs the engine's due steps as it advances.
        _drive = Clock.Drive(Engine);
    }

    /// <summary>The clock the shop and the engine run on.</summary>
    public FakeClock Clock { get; }

    /// <summary>The engine, as the container made it.</summary>
    public JourneyEngine Engine { get; }

    /// <summary>The store every timeline and report is read from.</summary>
    public IJourneyStore Store { get; }

    /// <summary>Every message any channel received, in send order (by instant, then by kind).</summary>
    public IReadOnlyList<ReceivedMessage> Received =>
        _outboxes.Values.SelectMany(o => o.Received).OrderBy(m => m.At).ToList();

    /// <summary>Starts a shop with the given journeys; <paramref name="configure"/> adds what they need (content providers, a coupon service, ...).</summary>
    /// <param name="journeys">The journeys to register.</param>
    /// <param name="start">Where the clock starts.</param>
    /// <param name="configure">More registrations, after the journeys and the channels.</param>
    public static SimulatedShop Start(IEnumerable<JourneyDefinition> journeys, Instant start, Action<RecoveryJourneysBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(journeys);
        return new SimulatedShop(journeys, start, configure);
    }

    /// <summary>The channel of one message kind, with what it received.</summary>
    /// <typeparam name="TMessage">The message kind.</typeparam>
    public OutboxChannel<TMessage> Outbox<TMessage>()
        where TMessage : class => ((KeptOutbox<TMessage>)_outboxes[typeof(TMessage)]).Channel;

    /// <summary>Moves the clock to <paramref name="at"/>, running every step due on the way, then publishes the event.</summary>
    /// <param name="at">When the shop publishes it; not before the clock's reading.</param>
    /// <param name="event">The shop's event.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public async Task<PublishResult> PublishAtAsync(Instant at, object @event, CancellationToken cancellationToken = default)
    {
        await Clock.AdvanceToAsync(at, cancellationToken);
        return await Engine.PublishAsync(@event, cancellationToken);
    }

    /// <summary>Advances the clock until no instance has anything left to do: every step run, every attribution window over, every exit action done.</summary>
    /// <param name="cancellationToken">Stops the run.</param>
    public async Task RunToEndAsync(CancellationToken cancellationToken = default)
    {
        while (await Engine.GetNextWakeUpAsync(cancellationToken) is { } next)
        {
            await Clock.AdvanceToAsync(Instant.Max(next, Clock.Now), cancellationToken);
        }
    }

    /// <summary>The instances of a journey for a correlation key, oldest first, each with its timeline and the messages it sent.</summary>
    /// <param name="journeyName">The journey.</param>
    /// <param name="correlationKey">The key (an order, a cart).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<IReadOnlyList<InstanceStory>> StoriesAsync(string journeyName, string correlationKey, CancellationToken cancellationToken = default)
    {
        var received = Received;
        var stories = new List<InstanceStory>();
        foreach (var instance in await Engine.FindInstancesAsync(new JourneyInstanceQuery(journeyName, correlationKey), cancellationToken))
        {
            var timeline = await Engine.GetTimelineAsync(instance.Id, cancellationToken);
            stories.Add(new InstanceStory(instance, timeline, received.Where(m => m.InstanceId == instance.Id).ToList()));
        }

        return stories;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _drive.Dispose();
        await _provider.DisposeAsync();
    }

    private void AddOutbox<TMessage>(RecoveryJourneysBuilder builder)
        where TMessage : class
    {
        var outbox = new KeptOutbox<TMessage>(new OutboxChannel<TMessage>(Clock));
        _outboxes[typeof(TMessage)] = outbox;
        builder.AddChannel(outbox.Channel);
    }

    /// <summary>What every outbox shows, whatever its message kind.</summary>
    private interface IOutbox
    {
        IEnumerable<ReceivedMessage> Received { get; }
    }

    private sealed class KeptOutbox<TMessage>(OutboxChannel<TMessage> channel) : IOutbox
        where TMessage : class
    {
        // The name timelines give the channel ("push", "crm-list"), so that a message can be matched to its entry.
        private static readonly string ChannelName = typeof(TMessage).GetCustomAttribute<ChannelNameAttribute>()?.Name ?? typeof(TMessage).Name;

        public OutboxChannel<TMessage> Channel { get; } = channel;

        public IEnumerable<ReceivedMessage> Received =>
            Channel.Sent.Select(e => new ReceivedMessage(e.At, e.Delivery.StepId, e.Delivery.Message, e.Delivery.InstanceId) { Channel = ChannelName });
    }
}
