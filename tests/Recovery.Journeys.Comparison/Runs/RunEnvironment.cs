using Npgsql;
using Recovery.Journeys.Comparison.Peers;
using Recovery.Journeys.Comparison.Shop;
using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.Comparison.Runs;

/// <summary>
/// A run's place on the server or the disk: a PostgreSQL schema of its own (the framework's tables, the shop's orders
/// and the send log), or a folder of SQLite files; dropped or deleted afterwards, so runs never see each other.
/// </summary>
public sealed class RunEnvironment : IAsyncDisposable
{
    private RunEnvironment(Store store, NpgsqlDataSource dataSource, IOrderBook orders)
    {
        Store = store;
        DataSource = dataSource;
        Orders = orders;
    }

    public Store Store { get; }

    /// <summary>The test server (the shop's orders and the send log live there in a PostgreSQL run).</summary>
    public NpgsqlDataSource DataSource { get; }

    public IOrderBook Orders { get; }

    public static async Task<RunEnvironment> CreateAsync(string framework, string store) =>
        store == "sqlite" ? await CreateAsync(framework, new Store("sqlite", "")).ConfigureAwait(false)
            : await CreateAsync(framework, new Store("postgresql", TestPostgres.NewSchemaName($"cmp_{framework}"))).ConfigureAwait(false);

    /// <summary>Opens (creating what is missing) the place a parent run made, from a worker process.</summary>
    public static async Task<RunEnvironment> CreateAsync(string framework, Store where)
    {
        var store = where.Kind;
        await TestPostgres.EnsureReachableAsync().ConfigureAwait(false);
        var dataSource = NpgsqlDataSource.Create(TestPostgres.ConnectionString);
        if (store == "sqlite")
        {
            var folder = where.Location.Length > 0 ? where.Location : Path.Combine(Path.GetTempPath(), $"rj-comparison-{framework}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            var orders = new SqliteOrderBook(Path.Combine(folder, "shop.db"));
            await orders.CreateTableAsync().ConfigureAwait(false);
            return new RunEnvironment(new Store("sqlite", folder), dataSource, orders);
        }

        // Each framework in a schema named after it: runs of the test projects in parallel never collide.
        var schema = where.Location;
        await PostgreSqlOrderBook.CreateTableAsync(dataSource, schema).ConfigureAwait(false);
        await PostgreSqlSendLog.CreateTableAsync(dataSource, schema).ConfigureAwait(false);
        return new RunEnvironment(new Store("postgresql", schema), dataSource, new PostgreSqlOrderBook(dataSource, schema));
    }

    /// <summary>A node of <paramref name="framework"/> in this place.</summary>
    public async Task<IRecoveryNode> NodeAsync(string framework, IShopChannels channels, bool tuned, string name, TimeSpan? hangfireInvisibilityTimeout = null, bool publishOnly = false)
    {
        var settings = new NodeSettings(Store, channels, Orders, tuned, name, publishOnly);
        return framework switch
        {
            "library" => await LibraryNode.CreateAsync(settings).ConfigureAwait(false),
            "hangfire" => HangfireNode.Create(settings, hangfireInvisibilityTimeout),
            "wolverine" => await WolverineNode.StartAsync(settings).ConfigureAwait(false),
            _ => throw new ArgumentException($"Unknown framework '{framework}': library, hangfire or wolverine."),
        };
    }

    /// <summary>
    /// Drops the run's schema. A framework left with a hung call can still hold a transaction with locks in it (a
    /// Wolverine handler mid-transaction): those sessions, and only those, are ended first, as a crash would end them.
    /// </summary>
    private async Task DropSchemaAsync()
    {
        await using (var terminate = DataSource.CreateCommand(
            "SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_class c ON l.relation = c.oid JOIN pg_namespace n ON c.relnamespace = n.oid " +
            "WHERE n.nspname = $1 AND l.pid <> pg_backend_pid()"))
        {
            terminate.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Store.Location });
            await terminate.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await TestPostgres.DropSchemaAsync(Store.Location).ConfigureAwait(false);
    }

    /// <summary>The send log that outlives a worker process (PostgreSQL runs).</summary>
    public PostgreSqlSendLog SendLog => new(DataSource, Store.Location);

    /// <summary>Leaves the schema in place: a worker process's environment belongs to its parent run.</summary>
    public bool Keep { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (Keep)
        {
            // Nothing to drop.
        }
        else if (Store.IsPostgreSql)
        {
            await DropSchemaAsync().ConfigureAwait(false);
        }
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(Store.Location, recursive: true);
            }
            catch (IOException)
            {
                // A framework may still hold a file open for a moment; the temp folder is cleaned by the system.
            }
        }

        await DataSource.DisposeAsync().ConfigureAwait(false);
    }
}
