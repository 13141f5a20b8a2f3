using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Scheduling;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;


namespace Recovery.Journeys.Tests.Scheduling;

/// <summary>The scheduler wakes early when a shared store signals work written by another process.</summary>
public sealed class InProcessJourneySchedulerWakeUpTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_SourceSignalsWork_RunsDueWorkBeforeThePollInterval()
    {
        var clock = new FakeClock();
        var source = new SignalSource();
        var dispatcher = new CountingDispatcher();
        var scheduler = new InProcessJourneyScheduler(clock, wakeUpSource: source);
        using var stop = new CancellationTokenSource();

        var running = scheduler.RunAsync(dispatcher, stop.Token);
        var wakeUp = await source.Listening.WaitAsync(Timeout);
        await dispatcher.WaitForRunsAsync(1).WaitAsync(Timeout);

        // The fake clock never moves: without the signal the scheduler would sleep its 30-second poll forever.
        wakeUp(clock.Now);
        await dispatcher.WaitForRunsAsync(2).WaitAsync(Timeout);

        await stop.CancelAsync();
        await running.WaitAsync(Timeout);
        source.StoppedListening.Should().BeTrue();
    }

    [Fact]
    public async Task RunAsync_SourceFails_KeepsSchedulingWork()
    {
        var clock = new FakeClock();
        var dispatcher = new CountingDispatcher();
        var scheduler = new InProcessJourneyScheduler(clock, wakeUpSource: new FailingSource());
        using var stop = new CancellationTokenSource();

        var running = scheduler.RunAsync(dispatcher, stop.Token);
        await dispatcher.WaitForRunsAsync(1).WaitAsync(Timeout);
        await scheduler.ScheduleAsync(JourneyInstanceId.New(), clock.Now, CancellationToken.None);
        await dispatcher.WaitForRunsAsync(2).WaitAsync(Timeout);

        await stop.CancelAsync();
        await running.WaitAsync(Timeout);
    }

    [Fact]
    public async Task AddRecoveryJourneys_StoreIsAWakeUpSource_TheSchedulerListensToIt()
    {
        var store = new ListeningStore();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeClock());
        services.AddRecoveryJourneys(journeys => journeys.UseStore(_ => store));
        await using var provider = services.BuildServiceProvider();
        using var stop = new CancellationTokenSource();

        var running = provider.GetRequiredService<IJourneyScheduler>().RunAsync(new CountingDispatcher(), stop.Token);

        await store.Listening.WaitAsync(Timeout);
        await stop.CancelAsync();
        await running.WaitAsync(Timeout);
    }

    private sealed class ListeningStore : DelegatingStore, IJourneyWakeUpSource
    {
        private readonly SignalSource _source = new();

        public Task Listening => _source.Listening;

        public Task ListenAsync(Action<Instant> wakeUp, CancellationToken cancellationToken) => _source.ListenAsync(wakeUp, cancellationToken);
    }

    private sealed class SignalSource : IJourneyWakeUpSource
    {
        private readonly TaskCompletionSource<Action<Instant>> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<Action<Instant>> Listening => _listening.Task;

        public bool StoppedListening { get; private set; }

        public async Task ListenAsync(Action<Instant> wakeUp, CancellationToken cancellationToken)
        {
            _listening.SetResult(wakeUp);
            try
            {
                // Listens until the scheduler stops.
                await new TaskCompletionSource().Task.WaitAsync(cancellationToken);
            }
            finally
            {
                StoppedListening = true;
            }
        }
    }

    private sealed class FailingSource : IJourneyWakeUpSource
    {
        public Task ListenAsync(Action<Instant> wakeUp, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("LISTEN failed");
    }

    private sealed class CountingDispatcher : IJourneyDispatcher
    {
        private readonly Lock _gate = new();
        private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
        private int _runs;

        public Task WaitForRunsAsync(int count)
        {
            lock (_gate)
            {
                if (_runs >= count)
                {
                    return Task.CompletedTask;
                }

                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((count, reached));
                return reached.Task;
            }
        }

        public ValueTask<int> RunDueAsync(CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                _runs++;
                foreach (var waiter in _waiters.Where(w => w.Count <= _runs))
                {
                    waiter.Reached.TrySetResult();
                }
            }

            return ValueTask.FromResult(0);
        }

        public ValueTask<bool> RunInstanceAsync(JourneyInstanceId instanceId, CancellationToken cancellationToken) => ValueTask.FromResult(false);

        public ValueTask<Instant?> GetNextWakeUpAsync(CancellationToken cancellationToken) => ValueTask.FromResult<Instant?>(null);
    }
}
