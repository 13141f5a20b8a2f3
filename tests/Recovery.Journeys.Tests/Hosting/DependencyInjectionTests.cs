using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Scheduling;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;

namespace Recovery.Journeys.Tests;

public sealed class DependencyInjectionTests
{
    private static JourneyDefinition PushJourney() =>
        Journey.When<CheckoutAbandoned>().Named("di").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer).ExitWhen<OrderPaid>(e => e.OrderId).Push(p => p.Body("x")).Build();

    [Fact]
    public void AddRecoveryJourneys_Twice_RegistersTheCoreOnce()
    {
        var services = new ServiceCollection();

        services.AddRecoveryJourneys(j => j.AddJourney(PushJourney()));
        services.AddRecoveryJourneys(j => j.AddChannel<PushMessage>(new NullPushChannel()));

        services.Count(d => d.ServiceType == typeof(JourneyEngine)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IHostedService)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IJourneyStore)).Should().Be(1);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<JourneyEngine>().Journeys.Should().ContainSingle();
    }

    [Fact]
    public void Defaults_AreTheInMemoryStoreTheInProcessSchedulerAndTheSystemClock()
    {
        using var provider = new ServiceCollection()
            .AddRecoveryJourneys(j => j.AddJourney(PushJourney()).AddChannel<PushMessage, NullPushChannel>())
            .BuildServiceProvider();

        provider.GetRequiredService<IJourneyStore>().Should().BeOfType<InMemoryJourneyStore>();
        provider.GetRequiredService<IJourneyScheduler>().Should().BeOfType<InProcessJourneyScheduler>();
        provider.GetRequiredService<TimeProvider>().Should().BeSameAs(TimeProvider.System);
        provider.GetRequiredService<IChannel<PushMessage>>().Should().BeOfType<NullPushChannel>();
    }

    [Fact]
    public async Task TimeProviderFromTheContainer_IsTheEnginesAndTheClocksTimeSource()
    {
        var clock = new FakeClock(Instant.FromUtc(2031, 3, 1, 8, 0));
        using var provider = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddRecoveryJourneys(j => j.AddJourney(PushJourney()).AddChannel<PushMessage, NullPushChannel>())
            .BuildServiceProvider();
        var engine = provider.GetRequiredService<JourneyEngine>();

        await engine.PublishAsync(Shop.Abandoned());

        provider.GetRequiredService<IClock>().GetCurrentInstant().Should().Be(clock.Now);
        var instance = (await engine.FindInstancesAsync(new JourneyInstanceQuery(CorrelationKey: "order-1"))).Single();
        instance.StartedAt.Should().Be(clock.Now);
    }

    [Fact]
    public async Task InvalidOptions_FailAtStart_ReportingEveryProblem()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddRecoveryJourneys(j => j
            .AddJourney(PushJourney())
            .AddChannel<PushMessage, NullPushChannel>()
            .ConfigureEngine(o =>
            {
                o.BatchSize = 0;
                o.MaxConcurrentSteps = 0;
            })
            .ConfigureScheduler(o => o.PollInterval = Duration.Zero));
        using var host = builder.Build();

        var start = () => host.StartAsync();

        var error = (await start.Should().ThrowAsync<AggregateException>()).Which.Flatten().InnerExceptions.OfType<OptionsValidationException>().ToList();
        error.SelectMany(e => e.Failures).Should().BeEquivalentTo(
            "JourneyEngineOptions.BatchSize must be between 1 and 10000, was 0.",
            "JourneyEngineOptions.MaxConcurrentSteps must be between 1 and 1024, was 0.",
            "InProcessSchedulerOptions.PollInterval must be positive, was 0s.");
    }

    [Fact]
    public void MissingChannel_FailsWhenTheEngineIsCreated_NamingJourneyAndStep()
    {
        using var provider = new ServiceCollection().AddRecoveryJourneys(j => j.AddJourney(PushJourney())).BuildServiceProvider();

        var resolve = () => provider.GetRequiredService<JourneyEngine>();

        resolve.Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'di', step 'push-1': it sends PushMessage but no IChannel<PushMessage> is registered");
    }

    [Fact]
    public async Task Engine_LogsThroughTheContainersLoggerFactory_WithEventIdsAndNoPersonalData()
    {
        var logs = new ListLoggerProvider();
        using var provider = new ServiceCollection()
            .AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Debug))
            .AddRecoveryJourneys(j => j.AddJourney(PushJourney()).AddChannel<PushMessage, NullPushChannel>())
            .BuildServiceProvider();
        var engine = provider.GetRequiredService<JourneyEngine>();

        await engine.PublishAsync(Shop.Abandoned());
        await engine.RunDueAsync();
        await engine.PublishAsync(new OrderPaid("order-1", 49.90m));

        logs.Entries.Select(e => e.EventId).Should().Contain([101, 110, 102]);
        logs.Entries.Should().NotContain(e => e.Message.Contains("Alice", StringComparison.Ordinal) || e.Message.Contains("alice@example.com", StringComparison.Ordinal));
    }

    private sealed class NullPushChannel : IChannel<PushMessage>
    {
        public ValueTask<DeliveryReceipt> SendAsync(Delivery<PushMessage> delivery, CancellationToken cancellationToken) => ValueTask.FromResult(DeliveryReceipt.Sent());
    }

    private sealed class ListLoggerProvider : ILoggerProvider
    {
        public List<(int EventId, string Message)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => new ListLogger(this);

        public void Dispose()
        {
        }

        private sealed class ListLogger(ListLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner.Entries)
                {
                    owner.Entries.Add((eventId.Id, formatter(state, exception)));
                }
            }
        }
    }
}
