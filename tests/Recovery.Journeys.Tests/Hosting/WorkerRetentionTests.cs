using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;

namespace Recovery.Journeys.Tests;

/// <summary>
/// The hosted worker purges on its own: every <see cref="JourneyEngineOptions.PurgeInterval"/> of the host's clock it
/// removes the finished instances older than the retention period, while due steps keep running beside it. The test
/// drives the worker with a fake clock and waits for what it reports (its log, the channel), never sleeps.
/// </summary>
public sealed class WorkerRetentionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly Duration PurgeInterval = Duration.FromMinutes(90);

    [Fact]
    public async Task Worker_EveryPurgeInterval_RemovesAFinishedInstanceOlderThanRetention_AndRunsDueStepsInTheSamePeriod()
    {
        var fake = new FakeClock();
        var clock = new ObservedClock(fake, PurgeInterval.ToTimeSpan());
        var channel = new SignallingChannel();
        var log = new PurgeLog();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Logging.AddProvider(log);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddRecoveryJourneys(journeys => journeys
            .AddJourney(Journey.When<Visit>().Named("visit").CorrelateBy(e => e.Key).ForCustomer(_ => Shop.Alice)
                .After(Duration.FromMinutes(30)).Send("note", c => new Note(c.Event.Key)).Build())
            .AddChannel<Note>(channel)
            .ConfigureEngine(e =>
            {
                e.Retention = Duration.FromDays(1);
                e.PurgeInterval = PurgeInterval;
            }));
        using var host = builder.Build();
        var engine = host.Services.GetRequiredService<JourneyEngine>();

        // Before the worker starts: a journey that ran and finished, then a day and more with nothing due.
        using (fake.Drive(engine))
        {
            await engine.PublishAsync(new Visit("old"));
            await fake.AdvanceAsync(Duration.FromHours(2));
        }

        var old = (await engine.FindInstancesAsync(new JourneyInstanceQuery(JourneyName: "visit", CorrelationKey: "old"))).Should().ContainSingle().Subject;
        old.Status.Should().Be(JourneyStatus.Completed);
        fake.Advance(old.EndedAt!.Value + Duration.FromDays(1) + Duration.FromMinutes(1) - fake.Now);

        await host.StartAsync();
        try
        {
            await clock.WatchedTimerCreated.WaitAsync(Patience);
            var startedAt = fake.Now;
            await engine.PublishAsync(new Visit("new"));

            // One purge interval: the new journey's step falls due half an hour in, the purge at the end.
            fake.Advance(PurgeInterval);
            var sent = await channel.Sent.WaitAsync(Patience);
            var removed = await log.FirstPurge.WaitAsync(Patience);

            removed.Should().Be(1, "only the old journey ended more than a day ago");
            (await engine.FindInstancesAsync(new JourneyInstanceQuery(JourneyName: "visit", CorrelationKey: "old"))).Should().BeEmpty();
            (await engine.GetTimelineAsync(old.Id)).Should().BeEmpty();
            sent.Message.Key.Should().Be("new");
            sent.DueAt.Should().Be(startedAt + Duration.FromMinutes(30));
            (await engine.FindInstancesAsync(new JourneyInstanceQuery(JourneyName: "visit", CorrelationKey: "new"))).Should().ContainSingle("it ended within the retention period");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private sealed record Visit(string Key);

    [ChannelName("note")]
    private sealed record Note(string Key);

    /// <summary>The fake clock, telling when a timer of the watched length is created: the purge loop's wait.</summary>
    private sealed class ObservedClock(FakeClock clock, TimeSpan watched) : TimeProvider
    {
        private readonly TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task WatchedTimerCreated => _created.Task;

        public override TimeZoneInfo LocalTimeZone => clock.LocalTimeZone;

        public override long TimestampFrequency => clock.TimestampFrequency;

        public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

        public override long GetTimestamp() => clock.GetTimestamp();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = clock.CreateTimer(callback, state, dueTime, period);
            if (dueTime == watched)
            {
                _created.TrySetResult();
            }

            return timer;
        }
    }

    private sealed class SignallingChannel : IChannel<Note>
    {
        private readonly TaskCompletionSource<Delivery<Note>> _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<Delivery<Note>> Sent => _sent.Task;

        public ValueTask<DeliveryReceipt> SendAsync(Delivery<Note> delivery, CancellationToken cancellationToken)
        {
            if (delivery.Message.Key == "new")
            {
                _sent.TrySetResult(delivery);
            }

            return ValueTask.FromResult(DeliveryReceipt.Sent());
        }
    }

    /// <summary>Reads the worker's "retention purge removed N" log line (event 120).</summary>
    private sealed class PurgeLog : ILoggerProvider, ILogger
    {
        private readonly TaskCompletionSource<int> _firstPurge = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<int> FirstPurge => _firstPurge.Task;

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 120 && state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                _firstPurge.TrySetResult(Convert.ToInt32(values.Single(v => v.Key == "Count").Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        public void Dispose()
        {
        }
    }
}
