using JasperFx.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Recovery.Journeys.Comparison.S1.Wolverine;
using Recovery.Journeys.Comparison.Shop;
using Recovery.Journeys.TestSupport;
using Wolverine;
using Wolverine.Postgresql;
using Wolverine.RDBMS;
using Wolverine.Sqlite;

namespace Recovery.Journeys.Comparison.Peers;

/// <summary>
/// A Wolverine app instance running <see cref="CheckoutRecoverySaga"/>: message and saga storage in PostgreSQL (or
/// SQLite), durable local queues and transactional middleware everywhere, as Wolverine's durability docs set up a
/// saga whose timeouts must survive a restart. The shop calls <c>InvokeAsync</c>, which handles the message inline
/// and returns once the saga's change and its scheduled timeout are committed.
/// </summary>
public sealed class WolverineNode : IRecoveryNode
{
    private readonly IHost _host;

    private WolverineNode(IHost host) => _host = host;

    /// <summary>Tuned: scheduled messages polled every 100 ms rather than 5 s (the first poll at once), 1,000 released per poll rather than 100.</summary>
    public static readonly TimeSpan TunedPolling = TimeSpan.FromMilliseconds(100);

    public const int TunedBatch = 1000;

    public static async Task<WolverineNode> StartAsync(NodeSettings settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(settings.Channels);
        builder.Services.AddSingleton(settings.Orders);
        builder.UseWolverine(opts =>
        {
            opts.ApplicationAssembly = typeof(CheckoutRecoverySaga).Assembly;
            opts.ServiceName = settings.Name;
            if (settings.Store.IsPostgreSql)
            {
                opts.PersistMessagesWithPostgresql(TestPostgres.ConnectionString, settings.Store.Location);
            }
            else
            {
                opts.PersistMessagesWithSqlite($"Data Source={Path.Combine(settings.Store.Location, "wolverine.db")}");
            }

            // Registered, so its table is built at start-up with the message tables rather than by the first inserts at once.
            opts.AddSagaType<CheckoutRecoverySaga>();
            opts.Policies.UseDurableLocalQueues();
            opts.Policies.AutoApplyTransactions();
            opts.Durability.DurabilityAgentEnabled = !settings.PublishOnly;
            if (settings.Tuned)
            {
                opts.Durability.ScheduledJobPollingTime = TunedPolling;
                opts.Durability.ScheduledJobFirstExecution = TimeSpan.Zero;
                opts.Durability.RecoveryBatchSize = TunedBatch;
            }
        });
        // Builds the message and saga tables at start-up, as Wolverine's PostgreSQL docs set it up.
        builder.Services.AddResourceSetupOnStartup();
        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        return new WolverineNode(host);
    }

    /// <summary>Wolverine processes from the moment its host starts.</summary>
    public Task StartProcessingAsync() => Task.CompletedTask;

    public async Task AbandonAsync(CheckoutAbandoned checkout, CancellationToken cancellationToken = default) =>
        await _host.MessageBus().InvokeAsync(checkout, cancellationToken).ConfigureAwait(false);

    public async Task PayAsync(OrderPaid payment, CancellationToken cancellationToken = default) =>
        await _host.MessageBus().InvokeAsync(payment, cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync().ConfigureAwait(false);
        _host.Dispose();
    }
}
