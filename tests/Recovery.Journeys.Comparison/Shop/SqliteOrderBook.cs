using Microsoft.Data.Sqlite;

namespace Recovery.Journeys.Comparison.Shop;

/// <summary>The orders table in a SQLite file of the shop's own (WAL, synced commits).</summary>
public sealed class SqliteOrderBook(string path) : IOrderBook
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 60 }.ToString();

    public async Task CreateTableAsync()
    {
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var create = connection.CreateCommand();
        create.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS shop_orders (order_id TEXT PRIMARY KEY, paid INTEGER NOT NULL DEFAULT 0)";
        await create.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public Task CreateAsync(string orderId, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT OR IGNORE INTO shop_orders (order_id) VALUES ($id)", orderId, cancellationToken);

    public Task MarkPaidAsync(string orderId, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO shop_orders (order_id, paid) VALUES ($id, 1) ON CONFLICT (order_id) DO UPDATE SET paid = 1", orderId, cancellationToken);

    public async Task<bool> IsPaidAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT paid FROM shop_orders WHERE order_id = $id";
        select.Parameters.AddWithValue("$id", orderId);
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is 1L;
    }

    private async Task ExecuteAsync(string sql, string orderId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", orderId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        return connection;
    }
}
