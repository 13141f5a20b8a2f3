using Npgsql;

namespace Recovery.Journeys.Comparison.Shop;

/// <summary>The orders table in a PostgreSQL schema of the run's own.</summary>
public sealed class PostgreSqlOrderBook(NpgsqlDataSource dataSource, string schema) : IOrderBook
{
    public static async Task CreateTableAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var create = dataSource.CreateCommand($"CREATE SCHEMA IF NOT EXISTS {schema}; CREATE TABLE IF NOT EXISTS {schema}.shop_orders (order_id text PRIMARY KEY, paid boolean NOT NULL DEFAULT false)");
        await create.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async Task CreateAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var insert = dataSource.CreateCommand($"INSERT INTO {schema}.shop_orders (order_id) VALUES ($1) ON CONFLICT DO NOTHING");
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = orderId });
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task MarkPaidAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var upsert = dataSource.CreateCommand($"INSERT INTO {schema}.shop_orders (order_id, paid) VALUES ($1, true) ON CONFLICT (order_id) DO UPDATE SET paid = true");
        upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = orderId });
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsPaidAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var select = dataSource.CreateCommand($"SELECT paid FROM {schema}.shop_orders WHERE order_id = $1");
        select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = orderId });
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }
}
