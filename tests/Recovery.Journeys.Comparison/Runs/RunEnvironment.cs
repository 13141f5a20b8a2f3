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

    public static async Task<RunEnvironment> CreateAsync(string framework, string store)
    {
        await TestPostgres.EnsureReachableAsync().ConfigureAwait(false);
        var dataSource = NpgsqlDataSource.Create(TestPostgres.ConnectionString);
        if (store == "sqlite")
        {
            var folder = Path.Combine(Path.GetTempPath(), $"rj-comparison-{framework}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            var orders = new SqliteOrderBook(Path.Combine(folder, "shop.db"));
            await orders.CreateTableAsync().ConfigureAwait(false);
            return new RunEnvironment(new Store("sqlite", folder), dataSource, orders);
        }

        // Each framework in a schema named after it: runs of the test projects in parallel never collide.
        var schema = TestPostgres.NewSchemaName($"cmp_{framework}");
        await PostgreSqlOrderBook.CreateTableAsync(dataSource, schema).ConfigureAwait(false);
        await PostgreSqlSendLog.CreateTableAsync(dataSource, schema).ConfigureAwait(false);
        return new RunEnvironment(new Store("postgresql", schema), dataSource, new PostgreSqlOrderBook(dataSource, schema));
    }

    /// <summary>A node of <paramref name="framework"/> in this place.</summary>
    public async Task<IRecoveryNode> NodeAsync(string framework, IShopChannels channels, bool tuned, string name, TimeSpan? hangfireInvisibilityTimeout = null)
    {
        var settings = new NodeSettings(Store, channels, Orders, tuned, name);
        return framework switch
        {
            "library" => await LibraryNode.CreateAsync(settings).ConfigureAwait(false),
            "hangfire" => HangfireNode.Create(settings, hangfireInvisibilityTimeout),
            "wolverine" => await WolverineNode.StartAsync(settings).ConfigureAwait(false),
            _ => throw new ArgumentException($"Unknown framework '{framework}': library, hangfire or wolverine."),
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (Store.IsPostgreSql)
        {
            await TestPostgres.DropSchemaAsync(Store.Location).ConfigureAwait(false);
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
