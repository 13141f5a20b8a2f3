using Npgsql;

namespace Recovery.Journeys.Comparison.Shop;

/// <summary>
/// A durable log in the run's PostgreSQL schema, for worker processes that are killed: a send is on record once
/// <see cref="AppendAsync"/> returns, as a provider's own record of what it sent would be.
/// </summary>
public sealed class PostgreSqlSendLog(NpgsqlDataSource dataSource, string schema) : ISendLog
{
    public static async Task CreateTableAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var create = dataSource.CreateCommand(
            $"CREATE SCHEMA IF NOT EXISTS {schema}; CREATE TABLE IF NOT EXISTS {schema}.comparison_sends (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, " +
            "order_id text NOT NULL, step text NOT NULL, sent_at bigint NOT NULL, worker text NOT NULL)");
        await create.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async Task AppendAsync(SendRecord record, CancellationToken cancellationToken)
    {
        await using var insert = dataSource.CreateCommand($"INSERT INTO {schema}.comparison_sends (order_id, step, sent_at, worker) VALUES ($1, $2, $3, $4)");
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = record.OrderId });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = record.Step });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = record.SentAt.UtcTicks });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = record.Worker });

        // Not cancelled with the send: a send that started is kept on record.
        await insert.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SendRecord>> ReadAllAsync()
    {
        await using var select = dataSource.CreateCommand($"SELECT order_id, step, sent_at, worker FROM {schema}.comparison_sends ORDER BY seq");
        await using var reader = await select.ExecuteReaderAsync().ConfigureAwait(false);
        var records = new List<SendRecord>();
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            records.Add(new SendRecord(reader.GetString(0), reader.GetString(1), new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero), reader.GetString(3)));
        }

        return records;
    }

    public async Task<long> CountAsync()
    {
        await using var count = dataSource.CreateCommand($"SELECT count(*) FROM {schema}.comparison_sends");
        return (long)(await count.ExecuteScalarAsync().ConfigureAwait(false))!;
    }
}
