using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Recovery.Journeys.Benchmarks.Durable;
using Recovery.Journeys.Benchmarks.Shared;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Benchmarks.Scheduling;

/// <summary>
/// The same work for the engine and for Quartz.NET's RAMJobStore, in one run: N checkouts each schedule 3 reminders,
/// a third of the checkouts are paid (their reminders cancelled), and the rest fire, due now, into a no-op.
/// </summary>
/// <remarks>
/// <para>
/// <b>Engine</b> (in-memory store, default options: 16 concurrent steps): publish N <c>Checkout</c> events of a journey
/// of three push reminders (+5 min, +1 h, +24 h, constant texts), publish <c>Paid</c> for every third order, move the
/// fake clock two days on without running anything, then <see cref="JourneyEngine.RunDueAsync"/> until every reminder
/// of the unpaid orders was handed to a no-op channel. Each step is claimed, run (consent, reachability, render,
/// send), and committed with its timeline entry and the next wake-up.
/// </para>
/// <para>
/// <b>Quartz</b> (RAMJobStore, 16 threads, up to 16 triggers acquired at a time): with the scheduler in standby, one
/// job and 3 one-shot triggers due now per checkout; delete the job of every third checkout (its triggers go with
/// it); start the scheduler and wait until every remaining trigger's job ran (a no-op that counts).
/// </para>
/// <para>
/// Each side's setup (a new engine, store and clock; a new scheduler in its own container) is outside the timing.
/// </para>
/// <para>
/// The sizes and iteration counts are the two classes' that run it: <see cref="SchedulingBenchmarks"/> (1,000 and
/// 10,000 checkouts) and <see cref="LargeSchedulingBenchmarks"/> (100,000).
/// </para>
/// </remarks>
public abstract class SchedulingBenchmarkBase
{
    private static readonly JourneyDefinition Reminders = Journey.When<Checkout>()
        .Named("reminders")
        .CorrelateBy(e => e.OrderId)
        .ForCustomer(e => e.Customer)
        .ExitWhen<Paid>(e => e.OrderId)
        .AfterStart(5.Minutes()).Push("reminder-1", p => p.Body("Votre commande vous attend."))
        .Then().AfterStart(1.Hours()).Push("reminder-2", p => p.Body("Votre commande vous attend toujours."))
        .Then().AfterStart(24.Hours()).Push("reminder-3", p => p.Body("Dernier rappel : votre commande vous attend."))
        .Build();

    private readonly Customers.Customer[] _customers = CheckoutJourney.Customers();
    private JourneyEngine _engine = null!;
    private FakeClock _clock = null!;
    private NoOpChannels _channels = null!;
    private ServiceProvider? _quartz;
    private IScheduler _scheduler = null!;

    /// <summary>Checkouts per operation.</summary>
    public abstract int Checkouts { get; set; }

    /// <summary>The engine's <see cref="JourneyEngineOptions.MaxConcurrentSteps"/>; its default, 16, unless a profile run sets it.</summary>
    public int MaxConcurrentSteps { get; set; } = new JourneyEngineOptions().MaxConcurrentSteps;

    /// <summary>Reminders that fire: 3 for each checkout not paid.</summary>
    public long Fired => 3L * (Checkouts - ((Checkouts + 2) / 3));

    [IterationSetup(Target = nameof(Engine))]
    public void SetUpEngine()
    {
        _clock = new FakeClock();
        _channels = new NoOpChannels();
        _engine = new JourneyEngine([Reminders], new InMemoryJourneyStore(), new JourneyHostServices { Channels = _channels }, _clock, new JourneyEngineOptions { MaxConcurrentSteps = MaxConcurrentSteps });
    }

    [Benchmark(Baseline = true)]
    public async Task<long> Engine()
    {
        for (var i = 0; i < Checkouts; i++)
        {
            await _engine.PublishAsync(CheckoutJourney.NewCheckout(i, _customers));
        }

        for (var i = 0; i < Checkouts; i += 3)
        {
            await _engine.PublishAsync(new Paid($"order-{i}", 49.90m));
        }

        _clock.Advance(2.Days());
        while (_channels.Sent < Fired)
        {
            await _engine.RunDueAsync();
        }

        return _channels.Sent;
    }

    [IterationSetup(Target = nameof(Quartz))]
    public void SetUpQuartz()
    {
        _quartz = QuartzNode.Create($"bench-{Guid.NewGuid():N}", "node", quartz => quartz.UseInMemoryStore());
        _scheduler = _quartz.GetRequiredService<ISchedulerFactory>().GetScheduler().AsTask().GetAwaiter().GetResult();
        NoOpSendJob.Reset(Fired);
    }

    [Benchmark]
    public async Task<long> Quartz()
    {
        var now = DateTimeOffset.UtcNow;
        var options = new ScheduleJobOptions();
        for (var i = 0; i < Checkouts; i++)
        {
            var job = JobBuilder.Create<NoOpSendJob>().WithIdentity($"order-{i}", "reminders").Build();
            ITrigger[] triggers =
            [
                TriggerBuilder.Create().WithIdentity($"order-{i}-1", "reminders").ForJob(job).StartAt(now).Build(),
                TriggerBuilder.Create().WithIdentity($"order-{i}-2", "reminders").ForJob(job).StartAt(now).Build(),
                TriggerBuilder.Create().WithIdentity($"order-{i}-3", "reminders").ForJob(job).StartAt(now).Build(),
            ];
            await _scheduler.ScheduleJob(job, triggers, options);
        }

        for (var i = 0; i < Checkouts; i += 3)
        {
            await _scheduler.DeleteJob(new JobKey($"order-{i}", "reminders"));
        }

        await _scheduler.Start();
        await NoOpSendJob.AllRan;
        return NoOpSendJob.Ran;
    }

    [IterationCleanup(Target = nameof(Quartz))]
    public void TearDownQuartz()
    {
        _scheduler.Shutdown(waitForJobsToComplete: true).AsTask().GetAwaiter().GetResult();
        _quartz!.Dispose();
    }
}
