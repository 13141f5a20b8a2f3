using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Quartz;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.Quartz.Tests;

/// <summary>
/// The adapters' conventions on the Quartz scheduler: the constructor checks its options and keeps a copy of every
/// one, <c>UseQuartzScheduler</c> passes every option to it, with the container's clock and loggers.
/// </summary>
public sealed class QuartzJourneySchedulerConventionTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly JourneyInstanceId Instance = JourneyInstanceId.Parse("0123456789abcdef0123456789abcdef");

    // Quartz's factory, for the constructor; the scheduler only looks a Quartz scheduler up when it schedules.
    private readonly ServiceProvider _quartz = new ServiceCollection().AddQuartz().BuildServiceProvider();

    private ISchedulerFactory SchedulerFactory => _quartz.GetRequiredService<ISchedulerFactory>();

    public void Dispose() => _quartz.Dispose();

    [Fact]
    public void Constructor_KeepsACopyOfEveryOption_ChangingTheCallersObjectAfterwardsHasNoEffect()
    {
        var options = EveryOption();
        OptionsConvention.ShouldSetEveryOption(options);
        var scheduler = new QuartzJourneyScheduler(SchedulerFactory, options, TimeProvider.System);

        OptionsConvention.CopyEveryOption(new QuartzJourneySchedulerOptions(), options);

        scheduler.TriggerKeyOf(Instance).Group.Should().Be("journeys");
        OptionsConvention.ShouldHaveEveryOptionOf(scheduler.Options, EveryOption());
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsTheRegistrationsValidationFailures()
    {
        var invalid = new QuartzJourneySchedulerOptions
        {
            SchedulerName = " ",
            Group = "",
            ReconciliationInterval = Duration.FromMilliseconds(10),
            EngineStartTimeout = Duration.Zero,
        };
        using var provider = new ServiceCollection()
            .AddQuartz()
            .AddRecoveryJourneys(j => j.UseQuartzScheduler(o => OptionsConvention.CopyEveryOption(invalid, o)))
            .BuildServiceProvider();

        var create = () => new QuartzJourneyScheduler(SchedulerFactory, invalid, TimeProvider.System);
        var register = () => provider.GetRequiredService<IOptions<QuartzJourneySchedulerOptions>>().Value;

        var failures = create.Should().Throw<OptionsValidationException>().Which.Failures;
        failures.Should().HaveCount(4);
        register.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(failures);
    }

    [Fact]
    public void Constructor_WithoutATimeProvider_Throws()
    {
        var create = () => new QuartzJourneyScheduler(SchedulerFactory, EveryOption(), null!);

        create.Should().Throw<ArgumentNullException>().WithParameterName("timeProvider");
    }

    [Fact]
    public void UseQuartzScheduler_PassesEveryOptionToTheScheduler()
    {
        var configured = EveryOption();
        OptionsConvention.ShouldSetEveryOption(configured);
        using var provider = new ServiceCollection()
            .AddQuartz()
            .AddRecoveryJourneys(j => j.UseQuartzScheduler(o => OptionsConvention.CopyEveryOption(configured, o)))
            .BuildServiceProvider();

        var scheduler = provider.GetRequiredService<QuartzJourneyScheduler>();

        OptionsConvention.ShouldHaveEveryOptionOf(scheduler.Options, configured);
        scheduler.Options.Should().NotBeSameAs(provider.GetRequiredService<IOptions<QuartzJourneySchedulerOptions>>().Value);
    }

    [Fact]
    public async Task UseQuartzScheduler_TakesTheTimeProviderAndTheLoggerFactoryFromTheContainer()
    {
        // Far ahead of the system clock: on it, a trigger due at this clock's "in an hour" would be long overdue.
        var clock = new FakeClock(Instant.FromUtc(2100, 1, 4, 9, 0));
        var logs = new RecordingLoggerProvider();
        using var provider = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddLogging(logging => logging.AddProvider(logs))
            .AddQuartz()
            .AddRecoveryJourneys(j => j.UseQuartzScheduler(o => o.ReconciliationInterval = Duration.FromDays(1)))
            .BuildServiceProvider();
        var scheduler = provider.GetRequiredService<QuartzJourneyScheduler>();
        var dispatcher = new RecordingDispatcher(firstSweep: 3);
        using var stop = new CancellationTokenSource();
        var running = scheduler.RunAsync(dispatcher, stop.Token);

        var wakeUp = scheduler.RunWakeUpAsync(Instance, clock.GetUtcNow().AddHours(1), CancellationToken.None).AsTask();
        var waitedForTheDueTime = !wakeUp.IsCompleted;
        clock.Advance(Duration.FromHours(1));
        await wakeUp.WaitAsync(Timeout);

        waitedForTheDueTime.Should().BeTrue("a trigger fired an hour early waits, on the container's clock, for its due time");
        dispatcher.Instances.Should().Equal(Instance);
        logs.Entries.Should().Contain(e => e.EventId.Id == 702 && e.Category == typeof(QuartzJourneyScheduler).FullName, "the first sweep ran 3 steps");
        await stop.CancelAsync();
        await running.WaitAsync(Timeout);
    }

    private static QuartzJourneySchedulerOptions EveryOption() => new()
    {
        SchedulerName = "shop-scheduler",
        Group = "journeys",
        ReconciliationInterval = Duration.FromMinutes(2),
        EngineStartTimeout = Duration.FromSeconds(30),
    };

    private sealed class RecordingDispatcher(int firstSweep) : IJourneyDispatcher
    {
        private int _sweeps;

        public ConcurrentQueue<JourneyInstanceId> Instances { get; } = new();

        public ValueTask<int> RunDueAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult(Interlocked.Increment(ref _sweeps) == 1 ? firstSweep : 0);

        public ValueTask<bool> RunInstanceAsync(JourneyInstanceId instanceId, CancellationToken cancellationToken)
        {
            Instances.Enqueue(instanceId);
            return ValueTask.FromResult(true);
        }

        public ValueTask<Instant?> GetNextWakeUpAsync(CancellationToken cancellationToken) => ValueTask.FromResult<Instant?>(null);
    }
}
