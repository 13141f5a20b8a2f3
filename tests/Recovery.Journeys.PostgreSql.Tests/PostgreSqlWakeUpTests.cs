using System.Threading.Channels;
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
using Recovery.Journeys.TestSupport;
using Recovery.Journeys.Testing;

namespace Recovery.Journeys.PostgreSql.Tests;

/// <summary>LISTEN/NOTIFY: work one app instance writes wakes the others at once.</summary>
public sealed class PostgreSqlWakeUpTests : TwoStoresOnOneSchema
{
    private PostgreSqlJourneyStore Publisher => First;

    private PostgreSqlJourneyStore Worker => Second;

    [Fact]
    public async Task Listen_AnotherStoreStartsAnInstance_SignalsItsWakeUpButNotItsOwn()
    {
        var signals = Channel.CreateUnbounded<Instant>();
        using var stop = new CancellationTokenSource();
        var listening = Worker.ListenAsync(due => signals.Writer.TryWrite(due), stop.Token);

        // The first signal says "look now": it comes once LISTEN is in place, so nothing later is missed.
        (await signals.Reader.ReadAsync().AsTask().WaitAsync(Timeout)).Should().Be(Instant.MinValue);
        await Worker.TryStartAsync(Entered("order-own", Clock.Now + Duration.FromMinutes(1)), CancellationToken.None);
        await Publisher.TryStartAsync(Entered("order-1", Clock.Now + Duration.FromMinutes(5)), CancellationToken.None);

        (await signals.Reader.ReadAsync().AsTask().WaitAsync(Timeout)).Should().Be(Clock.Now + Duration.FromMinutes(5), "the worker's own start is not signalled to itself");

        await stop.CancelAsync();
        await listening.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Listen_AnotherStoreReleasesAClaimOrMovesAWakeUp_SignalsIt()
    {
        var signals = Channel.CreateUnbounded<Instant>();
        using var stop = new CancellationTokenSource();
        var listening = Worker.ListenAsync(due => signals.Writer.TryWrite(due), stop.Token);
        await signals.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        await Publisher.TryStartAsync(Entered("order-1", Clock.Now), CancellationToken.None);
        (await signals.Reader.ReadAsync().AsTask().WaitAsync(Timeout)).Should().Be(Clock.Now);

        var claim = (await Publisher.ClaimDueAsync(Clock.Now, 10, CancellationToken.None)).Single();
        await claim.DisposeAsync();
        (await signals.Reader.ReadAsync().AsTask().WaitAsync(Timeout)).Should().Be(Clock.Now, "a released claim is due again at once");

        await Publisher.UpdateActiveAsync("checkout-recovery", "order-1", i => new JourneyTransition(i with { WakeUpAt = Clock.Now + Duration.FromDays(1) }, []), CancellationToken.None);
        (await signals.Reader.ReadAsync().AsTask().WaitAsync(Timeout)).Should().Be(Clock.Now + Duration.FromDays(1));

        await stop.CancelAsync();
        await listening.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Listen_AnotherStoreEndsAnInstanceWithExitActionsToRun_SignalsThemDue()
    {
        var signals = Channel.CreateUnbounded<Instant>();
        using var stop = new CancellationTokenSource();
        var listening = Worker.ListenAsync(due => signals.Writer.TryWrite(due), stop.Token);
        await signals.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        await Publisher.TryStartAsync(Entered("order-1", Clock.Now + Duration.FromDays(1)), CancellationToken.None);
        (await signals.Reader.ReadAsync().AsTask().WaitAsync(Timeout)).Should().Be(Clock.Now + Duration.FromDays(1));

        var exitActionsAt = Clock.Now + Duration.FromSeconds(1);
        await Publisher.ExitAsync(
            new RememberedExit("checkout-recovery", "order-1", "OrderPaid", Clock.Now, Clock.Now + Duration.FromDays(7)),
            i => new JourneyTransition(i with { Status = JourneyStatus.Converted, EndedAt = Clock.Now, NextStepId = "leave-list", WakeUpAt = exitActionsAt }, []),
            CancellationToken.None);

        (await signals.Reader.ReadAsync().AsTask().WaitAsync(Timeout)).Should().Be(exitActionsAt, "an ended instance with exit actions to run is due");
        (await Worker.ClaimDueAsync(exitActionsAt, 10, CancellationToken.None)).Should().ContainSingle().Which.Instance.Status.Should().Be(JourneyStatus.Converted);

        await stop.CancelAsync();
        await listening.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Scheduler_AnotherInstancePublishes_ItsNotifyWakesTheSleepingScheduler_WhichRunsTheStep()
    {
        var log = new WakeUpLog();
        var pushes = new SignallingPushChannel(log);
        var workerEngine = new JourneyEngine([ImmediatePush()], Worker, new JourneyHostServices { Channels = new SingleChannel<PushMessage>(pushes) }, Clock);
        var scheduler = new InProcessJourneyScheduler(Clock, new InProcessSchedulerOptions(), new RecordingWakeUpSource(Worker, log));
        using var stop = new CancellationTokenSource();
        var running = scheduler.RunAsync(new RecordingDispatcher(workerEngine, log), stop.Token);

        // LISTEN is in place once its "look now" signal came; the scan that signal asks for then finds nothing, and the
        // scheduler sleeps for its 30-second poll on a fake clock that never moves: from here only a NOTIFY can wake it.
        await log.LookedAfterListeningAsync().WaitAsync(Timeout);
        log.Add("published");
        var publisher = new JourneyEngine([ImmediatePush()], Publisher, new JourneyHostServices { Channels = new RecordingChannels(Clock) }, Clock);
        await publisher.PublishAsync(new OrderUnpaid("order-1", new Customer("customer-1") { Name = "Zoë", PushToken = "push-token-1" }));

        (await pushes.First.WaitAsync(Timeout)).IdempotencyKey.Should().EndWith(":push-now");
        await stop.CancelAsync();
        await running.WaitAsync(Timeout);

        log.After("published").Take(3).Should().Equal([$"notify {Clock.Now}", "scan", "send push-now"], "the NOTIFY woke the scheduler, whose scan ran the step");
    }

    private static JourneyDefinition ImmediatePush() =>
        Journey.When<OrderUnpaid>()
            .Named("unpaid-order")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .Push("push-now", p => p.Body("Bonjour {{customer.name}}, votre commande {{event.OrderId}} attend son paiement."))
            .Build();

    private JourneyStart Entered(string key, Instant wakeUpAt)
    {
        var instance = new JourneyInstance
        {
            Id = JourneyInstanceId.New(),
            JourneyName = "checkout-recovery",
            JourneyVersion = 1,
            CorrelationKey = key,
            Trigger = StoredEvent.FromValue(new { OrderId = key }),
            StartedAt = Clock.Now,
            NextStepId = "step-1",
            WakeUpAt = wakeUpAt,
        };
        return new JourneyStart(
            new JourneyTransition(instance, [new JourneyRecord(instance.Id, instance.JourneyName, Clock.Now, JourneyRecordKind.Entered)]),
            _ => throw new InvalidOperationException("no exit is remembered in these tests"));
    }

    public sealed record OrderUnpaid(string OrderId, Customer Customer);

    private sealed class SignallingPushChannel(WakeUpLog log) : IChannel<PushMessage>
    {
        private readonly TaskCompletionSource<Delivery<PushMessage>> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<Delivery<PushMessage>> First => _first.Task;

        public ValueTask<DeliveryReceipt> SendAsync(Delivery<PushMessage> delivery, CancellationToken cancellationToken)
        {
            log.Add($"send {delivery.StepId}");
            _first.TrySetResult(delivery);
            return ValueTask.FromResult(DeliveryReceipt.Sent());
        }
    }

    private sealed class SingleChannel<TMessage>(IChannel<TMessage> channel) : IChannelResolver
        where TMessage : class
    {
        public IChannel<T>? Resolve<T>()
            where T : class => channel as IChannel<T>;
    }
}
