using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recovery.Journeys.Comparison.S1.Library;
using Recovery.Journeys.Comparison.Shop;
using Recovery.Journeys.Ports;
using Recovery.Journeys.PostgreSql;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Scheduling;
using Recovery.Journeys.Sqlite;
using Recovery.Journeys.Storage;
using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.Comparison.Peers;

/// <summary>
/// An app instance running <see cref="LibraryCheckoutRecovery"/>: the engine on the PostgreSQL (or SQLite) store with
/// the in-process scheduler, as <c>AddRecoveryJourneys</c> wires them, at their defaults (the library has no polling
/// to tune: the scheduler sleeps until the next due step and PostgreSQL's LISTEN/NOTIFY wakes it for other
/// processes' work). A payment is <c>PublishAsync(OrderPaid)</c>, committed when it returns.
/// </summary>
public sealed class LibraryNode : IRecoveryNode
{
    private readonly IJourneyStore _store;
    private readonly InProcessJourneyScheduler _scheduler;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ConcurrentDictionary<string, string> _orderOfInstance = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    private LibraryNode(IJourneyStore store, IShopChannels channels)
    {
        _store = store;
        _loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        _scheduler = new InProcessJourneyScheduler(TimeProvider.System, new InProcessSchedulerOptions(), store as IJourneyWakeUpSource, _loggerFactory);
        Engine = new JourneyEngine([LibraryCheckoutRecovery.Create()], store, new JourneyHostServices { Channels = new LibraryChannels(channels) }, TimeProvider.System, new JourneyEngineOptions(), _scheduler, _loggerFactory);
    }

    public JourneyEngine Engine { get; }

    public static async Task<LibraryNode> CreateAsync(NodeSettings settings)
    {
        IJourneyStore store;
        if (settings.Store.IsPostgreSql)
        {
            var postgres = new PostgreSqlJourneyStore(new PostgreSqlJourneyStoreOptions { ConnectionString = TestPostgres.ConnectionString, Schema = settings.Store.Location }, TimeProvider.System);
            await postgres.MigrateAsync().ConfigureAwait(false);
            store = postgres;
        }
        else
        {
            var sqlite = new SqliteJourneyStore(Path.Combine(settings.Store.Location, "journeys.db"), TimeProvider.System);
            await sqlite.MigrateAsync().ConfigureAwait(false);
            store = sqlite;
        }

        return new LibraryNode(store, settings.Channels);
    }

    public Task StartProcessingAsync()
    {
        _running = Task.Run(() => _scheduler.RunAsync(Engine, _stop.Token));
        return Task.CompletedTask;
    }

    public async Task AbandonAsync(CheckoutAbandoned checkout, CancellationToken cancellationToken = default)
    {
        var published = await Engine.PublishAsync(checkout, cancellationToken).ConfigureAwait(false);
        foreach (var instance in published.Started)
        {
            _orderOfInstance[instance.Value.ToString()] = checkout.OrderId;
        }
    }

    public async Task PayAsync(OrderPaid payment, CancellationToken cancellationToken = default) =>
        await Engine.PublishAsync(payment, cancellationToken).ConfigureAwait(false);

    public string OrderIdOf(string recorded) => _orderOfInstance.TryGetValue(recorded, out var order) ? order : recorded;

    /// <summary>The orders of the instances in the store: for a run whose sends were recorded by another process.</summary>
    public async Task LearnOrdersAsync()
    {
        foreach (var instance in await _store.FindAsync(new JourneyInstanceQuery("checkout-recovery"), CancellationToken.None).ConfigureAwait(false))
        {
            _orderOfInstance[instance.Id.Value.ToString()] = instance.CorrelationKey;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            // A hung channel can keep a step in flight past the stop: the run reports it; the store is closed anyway.
        }

        await ((IAsyncDisposable)_store).DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _loggerFactory.Dispose();
    }
}
