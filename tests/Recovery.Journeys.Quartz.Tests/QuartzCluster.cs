using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Npgsql;
using Quartz;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Quartz;
using Recovery.Journeys.Storage;
using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.Quartz.Tests;

/// <summary>
/// A real clustered Quartz on the real PostgreSQL: one schema per test holds the journey store's tables and Quartz's
/// (prefix <c>&lt;schema&gt;.qrtz_</c>), created from the schema script the Quartz package ships. Each node is an
/// app host of its own (its own container, Quartz scheduler, journey engine and store), as on separate machines.
/// </summary>
internal sealed class QuartzCluster : IAsyncDisposable
{
    private readonly List<IHost> _nodes = [];

    private QuartzCluster(string schema) => Schema = schema;

    public string Schema { get; }

    /// <summary>The Quartz cluster's name (every node's <c>InstanceName</c>, Quartz's <c>sched_name</c>).</summary>
    public string ClusterName => $"journeys-{Schema}";

    /// <summary>Every send of every node, in the order the channels were called.</summary>
    public ConcurrentQueue<NodeSend> Sends { get; } = new();

    public IReadOnlyList<IHost> Nodes => _nodes;

    public static async Task<QuartzCluster> CreateAsync()
    {
        await TestPostgres.EnsureReachableAsync();
        var cluster = new QuartzCluster(TestPostgres.NewSchemaName("rj_quartz"));
        await using var connection = await TestPostgres.OpenConnectionAsync();
        await using (var create = new NpgsqlCommand($"CREATE SCHEMA {cluster.Schema}", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await QuartzSchemaScript.CreateTablesAsync(connection, $"{cluster.Schema}.qrtz_");
        return cluster;
    }

    /// <summary>Starts a node: Quartz (clustered, ADO job store) and the journey engine on the shared store, scheduling on Quartz.</summary>
    public async Task<IHost> StartNodeAsync(string name, Duration reconciliationInterval, params JourneyDefinition[] journeys)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddLogging();
        builder.Services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = ClusterName;
                scheduler.InstanceId = name;

                // A node looks for triggers others scheduled at least every second (Quartz's default: 30 s).
                scheduler.IdleWaitTime = TimeSpan.FromSeconds(1);
            });
            quartz.UseDefaultThreadPool(maxConcurrency: 8);
            quartz.UsePersistentStore(store =>
            {
                store.UsePostgres(new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { MaxPoolSize = 12 }.ConnectionString);
                store.UseClustering(clustering =>
                {
                    clustering.CheckinInterval = TimeSpan.FromSeconds(1);
                    clustering.CheckinMisfireThreshold = TimeSpan.FromSeconds(5);
                });
                store.ConfigureStore(options => options.TablePrefix = $"{Schema}.qrtz_");
            });
        });
        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        builder.Services.AddRecoveryJourneys(recovery =>
        {
            foreach (var journey in journeys)
            {
                recovery.AddJourney(journey);
            }

            recovery
                .AddChannel<EmailMessage>(new RecordingChannel(name, Sends))
                .UsePostgreSqlStore(options =>
                {
                    options.ConnectionString = new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { MaxPoolSize = 12 }.ConnectionString;
                    options.Schema = Schema;
                })
                .UseQuartzScheduler(options => options.ReconciliationInterval = reconciliationInterval);
        });

        var host = builder.Build();
        _nodes.Add(host);
        await host.StartAsync();
        return host;
    }

    /// <summary>How many wake-up triggers Quartz holds for journeys.</summary>
    public async Task<long> CountJourneyTriggersAsync()
    {
        await using var connection = await TestPostgres.OpenConnectionAsync();
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {Schema}.qrtz_triggers WHERE sched_name = @cluster AND trigger_group = 'recovery-journeys'", connection);
        count.Parameters.AddWithValue("cluster", ClusterName);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>How many nodes have checked in to the cluster.</summary>
    public async Task<long> CountCheckedInNodesAsync()
    {
        await using var connection = await TestPostgres.OpenConnectionAsync();
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {Schema}.qrtz_scheduler_state WHERE sched_name = @cluster", connection);
        count.Parameters.AddWithValue("cluster", ClusterName);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    public async Task<long> CountActiveJourneysAsync()
    {
        await using var connection = await TestPostgres.OpenConnectionAsync();
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {Schema}.journey_instances WHERE status = 0", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>Journeys with a step still to run; after its last step an instance only listens for its goal (the attribution window).</summary>
    public async Task<long> CountJourneysWithStepsLeftAsync()
    {
        await using var connection = await TestPostgres.OpenConnectionAsync();
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {Schema}.journey_instances WHERE status = 0 AND next_step_id IS NOT NULL", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.StopAsync();
            node.Dispose();
        }

        await TestPostgres.DropSchemaAsync(Schema);
    }

    /// <summary>Records every send with the node that made it and the real time it was made.</summary>
    private sealed class RecordingChannel(string node, ConcurrentQueue<NodeSend> sends) : IChannel<EmailMessage>
    {
        public ValueTask<DeliveryReceipt> SendAsync(Delivery<EmailMessage> delivery, CancellationToken cancellationToken)
        {
            sends.Enqueue(new NodeSend(node, delivery.IdempotencyKey, delivery.InstanceId, delivery.DueAt, Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow())));
            return ValueTask.FromResult(DeliveryReceipt.Sent());
        }
    }
}

/// <summary>One send: which node, which step, when it was due and when it was sent.</summary>
internal sealed record NodeSend(string Node, string IdempotencyKey, JourneyInstanceId InstanceId, Instant DueAt, Instant SentAt);
