using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Recovery.Journeys.Comparison.S1.Hangfire;
using Recovery.Journeys.Comparison.Shop;
using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.Comparison.Peers;

/// <summary>
/// A Hangfire app instance running <see cref="HangfireCheckoutRecovery"/>: its storage on PostgreSQL
/// (Hangfire.PostgreSql) or SQLite (Hangfire.Storage.SQLite), a client that schedules the jobs and a
/// <see cref="BackgroundJobServer"/> that runs them, with Hangfire's default settings unless tuned. A payment is the
/// shop committing it to its orders table, which the jobs read.
/// </summary>
public sealed class HangfireNode : IRecoveryNode
{
    /// <summary>Tuned: the delayed-job scheduler and the queue polled every 100 ms rather than 15 s, and PostgreSQL's LISTEN/NOTIFY for the queue.</summary>
    public static readonly TimeSpan TunedPolling = TimeSpan.FromMilliseconds(100);

    private readonly JobStorage _storage;
    private readonly NodeSettings _settings;
    private readonly HangfireCheckoutRecovery _recovery;
    private BackgroundJobServer? _server;

    static HangfireNode()
    {
        // The serializer settings Hangfire's docs recommend for a new application.
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
    }

    private HangfireNode(JobStorage storage, NodeSettings settings)
    {
        _storage = storage;
        _settings = settings;
        _recovery = new HangfireCheckoutRecovery(new BackgroundJobClient(storage), settings.Orders, settings.Channels);
    }

    public static HangfireNode Create(NodeSettings settings, TimeSpan? invisibilityTimeout = null)
    {
        JobStorage storage;
        if (settings.Store.IsPostgreSql)
        {
            var options = new PostgreSqlStorageOptions { SchemaName = settings.Store.Location, PrepareSchemaIfNecessary = true };
            if (settings.Tuned)
            {
                options.QueuePollInterval = TunedPolling;
                options.EnableLongPolling = true;
            }

            if (invisibilityTimeout is { } timeout)
            {
                // After a crash, fetched jobs wait out the invisibility timeout and a lock the dead server held waits
                // out the lock timeout (30 and 10 min by default): both shortened together, as the options allow.
                options.InvisibilityTimeout = timeout;
                options.DistributedLockTimeout = timeout;
            }

            storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(TestPostgres.ConnectionString, options), options);
        }
        else
        {
            var options = new SQLiteStorageOptions();
            if (settings.Tuned)
            {
                options.QueuePollInterval = TunedPolling;
            }

            storage = new SQLiteStorage(Path.Combine(settings.Store.Location, "hangfire.db"), options);
        }

        return new HangfireNode(storage, settings);
    }

    public Task StartProcessingAsync()
    {
        var options = new BackgroundJobServerOptions { ServerName = _settings.Name, Activator = new Activator(_recovery) };
        if (_settings.Tuned)
        {
            options.SchedulePollingInterval = TunedPolling;
        }

        _server = new BackgroundJobServer(options, _storage);
        return Task.CompletedTask;
    }

    public async Task AbandonAsync(CheckoutAbandoned checkout, CancellationToken cancellationToken = default)
    {
        await _settings.Orders.CreateAsync(checkout.OrderId, cancellationToken).ConfigureAwait(false);
        _recovery.OnCheckoutAbandoned(checkout);
    }

    public Task PayAsync(OrderPaid payment, CancellationToken cancellationToken = default) => _settings.Orders.MarkPaidAsync(payment.OrderId, cancellationToken);

    public ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            _server.SendStop();
            _server.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Hands the jobs the S1 object (a DI container's activator does the same with a registration).</summary>
    private sealed class Activator(HangfireCheckoutRecovery recovery) : JobActivator
    {
        public override object ActivateJob(Type jobType) => jobType == typeof(HangfireCheckoutRecovery) ? recovery : base.ActivateJob(jobType);
    }
}
