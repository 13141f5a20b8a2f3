using Microsoft.Data.Sqlite;
using Npgsql;

namespace Recovery.Journeys.CrashWorker;

/// <summary>One call of the channel: the step's idempotency key, and when the channel was called.</summary>
/// <param name="IdempotencyKey"><c>{instance id}:{step id}</c>.</param>
/// <param name="InstanceId">The journey instance.</param>
/// <param name="StepId">The step.</param>
/// <param name="StartedAtTicks">When the channel was called, in ticks since the Unix epoch (the real clock).</param>
/// <param name="Worker">Which worker run sent it.</param>
public sealed record DeliveryRow(string IdempotencyKey, Guid InstanceId, string StepId, long StartedAtTicks, string Worker);

/// <summary>
/// Where the recording channel appends every delivery, durably, before it returns, in a transaction of its own, as a
/// channel that keeps the keys it already sent would: a table in the journey store's PostgreSQL schema, or a SQLite
/// file beside the store's (the SQLite store is its file's only writer). Every call is kept, redeliveries included;
/// the tests count them by key.
/// </summary>
public interface IDeliveryLog : IAsyncDisposable
{
    /// <summary>Appends one delivery and returns once it is committed.</summary>
    Task AppendAsync(DeliveryRow row, CancellationToken cancellationToken);
}

/// <summary>
/// The delivery table in a SQLite file of its own beside the store's (<c>journeys.db</c> → <c>journeys.deliveries.db</c>):
/// the SQLite store expects to be the only writer of its file (a second writing connection makes its deferred
/// transactions fail with SQLITE_BUSY), as a real channel's records would live in the channel's own database anyway.
/// </summary>
public sealed class SqliteDeliveryLog : IDeliveryLog
{
    private const string Table = "reliability_deliveries";
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteDeliveryLog(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens the log beside the store's file; the table must exist (<see cref="CreateTableAsync"/>).</summary>
    public static async Task<SqliteDeliveryLog> OpenAsync(string storePath)
    {
        var connection = await OpenConnectionAsync(storePath);
        return new SqliteDeliveryLog(connection);
    }

    /// <summary>Creates the delivery file and its table beside the store's file.</summary>
    public static async Task CreateTableAsync(string storePath)
    {
        await using var connection = await OpenConnectionAsync(storePath);
        await using var create = connection.CreateCommand();
        create.CommandText =
            "PRAGMA journal_mode = WAL; " +
            $"CREATE TABLE IF NOT EXISTS {Table} (seq INTEGER PRIMARY KEY AUTOINCREMENT, idempotency_key TEXT NOT NULL, " +
            "instance_id TEXT NOT NULL, step_id TEXT NOT NULL, started_at INTEGER NOT NULL, worker TEXT NOT NULL)";
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>How many deliveries the log holds.</summary>
    public static async Task<long> CountAsync(string storePath)
    {
        await using var connection = await OpenConnectionAsync(storePath);
        await using var count = connection.CreateCommand();
        count.CommandText = $"SELECT count(*) FROM {Table}";
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>Every delivery, in the order they were appended.</summary>
    public static async Task<IReadOnlyList<DeliveryRow>> ReadAllAsync(string storePath)
    {
        await using var connection = await OpenConnectionAsync(storePath);
        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT idempotency_key, instance_id, step_id, started_at, worker FROM {Table} ORDER BY seq";
        var rows = new List<DeliveryRow>();
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new DeliveryRow(reader.GetString(0), Guid.Parse(reader.GetString(1)), reader.GetString(2), reader.GetInt64(3), reader.GetString(4)));
        }

        return rows;
    }

    /// <inheritdoc />
    public async Task AppendAsync(DeliveryRow row, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var insert = _connection.CreateCommand();
            insert.CommandText = $"INSERT INTO {Table} (idempotency_key, instance_id, step_id, started_at, worker) VALUES (@key, @instance, @step, @at, @worker)";
            insert.Parameters.AddWithValue("@key", row.IdempotencyKey);
            insert.Parameters.AddWithValue("@instance", row.InstanceId.ToString());
            insert.Parameters.AddWithValue("@step", row.StepId);
            insert.Parameters.AddWithValue("@at", row.StartedAtTicks);
            insert.Parameters.AddWithValue("@worker", row.Worker);
            await insert.ExecuteNonQueryAsync(CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _gate.Dispose();
    }

    /// <summary>The delivery file beside a store's file.</summary>
    public static string PathBeside(string storePath) => Path.ChangeExtension(storePath, ".deliveries.db");

    private static async Task<SqliteConnection> OpenConnectionAsync(string storePath)
    {
        // Unpooled, so that no handle on the file outlives this object (the tests delete the folder).
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = PathBeside(storePath), Pooling = false, DefaultTimeout = 60 }.ToString());
        await connection.OpenAsync();
        await using var pragma = connection.CreateCommand();

        // FULL makes each insert durable when it returns, as the store's commits are.
        pragma.CommandText = "PRAGMA synchronous = FULL";
        await pragma.ExecuteNonQueryAsync();
        return connection;
    }
}

/// <summary>The delivery table in the journey store's PostgreSQL schema.</summary>
public sealed class PostgreSqlDeliveryLog : IDeliveryLog
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _table;

    private PostgreSqlDeliveryLog(NpgsqlDataSource dataSource, string schema)
    {
        _dataSource = dataSource;
        _table = TableIn(schema);
    }

    /// <summary>Opens the log; the table must exist (<see cref="CreateTableAsync"/>).</summary>
    /// <param name="connectionString">The database.</param>
    /// <param name="schema">The journey store's schema.</param>
    /// <param name="maxConnections">The pool size: each in-flight send holds a connection for one insert.</param>
    public static PostgreSqlDeliveryLog Open(string connectionString, string schema, int maxConnections)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = maxConnections };
        return new PostgreSqlDeliveryLog(NpgsqlDataSource.Create(builder.ConnectionString), schema);
    }

    /// <summary>Creates the delivery table in the schema (which must exist).</summary>
    public static async Task CreateTableAsync(NpgsqlConnection connection, string schema)
    {
        await using var create = new NpgsqlCommand(
            $"CREATE TABLE IF NOT EXISTS {TableIn(schema)} (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, idempotency_key text NOT NULL, " +
            "instance_id uuid NOT NULL, step_id text NOT NULL, started_at bigint NOT NULL, worker text NOT NULL)",
            connection);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>How many deliveries the log holds.</summary>
    public static async Task<long> CountAsync(NpgsqlConnection connection, string schema)
    {
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {TableIn(schema)}", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>Every delivery, in the order they were committed.</summary>
    public static async Task<IReadOnlyList<DeliveryRow>> ReadAllAsync(NpgsqlConnection connection, string schema)
    {
        await using var select = new NpgsqlCommand($"SELECT idempotency_key, instance_id, step_id, started_at, worker FROM {TableIn(schema)} ORDER BY seq", connection);
        var rows = new List<DeliveryRow>();
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new DeliveryRow(reader.GetString(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4)));
        }

        return rows;
    }

    /// <inheritdoc />
    public async Task AppendAsync(DeliveryRow row, CancellationToken cancellationToken)
    {
        // One autocommitted insert: durable (synchronous_commit) when it returns.
        await using var insert = _dataSource.CreateCommand($"INSERT INTO {_table} (idempotency_key, instance_id, step_id, started_at, worker) VALUES ($1, $2, $3, $4, $5)");
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.IdempotencyKey });
        insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = row.InstanceId });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.StepId });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = row.StartedAtTicks });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Worker });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static string TableIn(string schema) => $"{schema}.reliability_deliveries";
}
