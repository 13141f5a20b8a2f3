using System.Text;
using NodaTime;
using Npgsql;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.TestSupport;
using Recovery.Journeys.Testing;

namespace Recovery.Journeys.PostgreSql.Tests;

/// <summary>
/// What an erasure leaves in PostgreSQL: no live row and no index entry holds the customer, and the bytes left in the
/// data files go with the operator's <c>VACUUM FULL</c> (docs/stores.md). Pages are read with <c>pageinspect</c>.
/// </summary>
[Collection(AloneInTheDatabase.Name)]
public sealed class PostgreSqlErasureTests : IAsyncLifetime
{
    private const string Erased = "jane.doe+erasure@example.com";
    private const string Kept = "kept.customer@example.com";

    private readonly string _schema = TestDatabase.NewSchemaName();
    private readonly FakeClock _clock = new();
    private PostgreSqlJourneyStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await TestDatabase.CreateStoreAsync(_schema);
        await using var connection = await TestPostgres.OpenConnectionAsync();
        await ExecuteAsync(connection, "CREATE EXTENSION IF NOT EXISTS pageinspect");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await TestPostgres.DropSchemaAsync(_schema);
    }

    [Fact]
    public async Task EraseCustomer_NoLiveRowOrIndexEntryHoldsTheAddress_AndVacuumFullRemovesEveryByte()
    {
        for (var i = 0; i < 6; i++)
        {
            await StartAndRunAsync(Erased, $"order-{i}");
            await StartAndRunAsync(Kept, $"kept-order-{i}");
        }

        await using var connection = await TestPostgres.OpenConnectionAsync();
        (await LiveRowsHoldingAsync(connection, Erased)).Should().BeGreaterThan(0, "the rows hold the address before the erasure");
        (await IndexEntriesHoldingAsync(connection, Erased)).Should().BeGreaterThan(0, "the customer index holds the address before the erasure");

        (await _store.EraseCustomerAsync(Erased, CancellationToken.None)).Should().Be(6);

        (await LiveRowsHoldingAsync(connection, Erased)).Should().Be(0, "no row of any store table holds the address");
        (await RowsFoundThroughTheCustomerIndexAsync(connection, Erased)).Should().Be(0, "no index entry leads to a row of the customer");
        (await LiveRowsHoldingAsync(connection, Kept)).Should().BeGreaterThan(0, "the other customer's rows stay");

        // What docs/stores.md says stays until vacuum: the deleted rows' bytes in the table and index pages.
        await ExecuteAsync(connection, "CHECKPOINT");
        (await CopiesInPagesAsync(connection, Erased)).Should().BeGreaterThan(0, "deleted rows stay in the pages until vacuum, as documented");

        // The operator's step from docs/stores.md: VACUUM takes the index entries; VACUUM FULL rewrites the files.
        foreach (var table in await StoreTablesAsync(connection))
        {
            await ExecuteAsync(connection, $"VACUUM {_schema}.{table}");
        }

        (await IndexEntriesHoldingAsync(connection, Erased)).Should().Be(0, "VACUUM removes the deleted rows' index entries");
        foreach (var table in await StoreTablesAsync(connection))
        {
            await ExecuteAsync(connection, $"VACUUM FULL {_schema}.{table}");
        }

        (await CopiesInPagesAsync(connection, Erased)).Should().Be(0, "VACUUM FULL leaves no byte of the address in the store's tables and indexes");
        (await CopiesInPagesAsync(connection, Kept)).Should().BeGreaterThan(0, "the search reads the right pages");
    }

    private Task StartAndRunAsync(string customerId, string key) => ErasureFixture.StartAndRunAsync(_store, _clock.Now, customerId, key);

    private async Task<List<string>> StoreTablesAsync(NpgsqlConnection connection) =>
        await ListAsync(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = @schema AND table_type = 'BASE TABLE'");

    /// <summary>Rows of any store table whose text holds the address.</summary>
    private async Task<long> LiveRowsHoldingAsync(NpgsqlConnection connection, string address)
    {
        long count = 0;
        foreach (var table in await StoreTablesAsync(connection))
        {
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM {_schema}.{table} t WHERE strpos(t::text, @address) > 0", connection);
            command.Parameters.AddWithValue("address", address);
            count += (long)(await command.ExecuteScalarAsync())!;
        }

        return count;
    }

    /// <summary>Rows reached through the customer index alone (sequential scans off).</summary>
    private async Task<long> RowsFoundThroughTheCustomerIndexAsync(NpgsqlConnection connection, string address)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var off = new NpgsqlCommand("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off", connection, transaction))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {_schema}.journey_instances WHERE customer_id = @address", connection, transaction);
        command.Parameters.AddWithValue("address", address);
        var count = (long)(await command.ExecuteScalarAsync())!;
        await transaction.RollbackAsync();
        return count;
    }

    /// <summary>Items of the store's B-tree indexes (leaf and inner pages) whose key bytes hold the address.</summary>
    private async Task<long> IndexEntriesHoldingAsync(NpgsqlConnection connection, string address)
    {
        long count = 0;
        foreach (var index in await ListAsync(connection, "SELECT indexname FROM pg_indexes WHERE schemaname = @schema"))
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM generate_series(1, (pg_relation_size(@index::regclass) / current_setting('block_size')::int)::int - 1) AS b, " +
                "LATERAL bt_page_items(@index, b) AS item WHERE position(@needle IN decode(replace(item.data, ' ', ''), 'hex')) > 0",
                connection);
            command.Parameters.AddWithValue("index", $"{_schema}.{index}");
            command.Parameters.AddWithValue("needle", Encoding.UTF8.GetBytes(address));
            count += (long)(await command.ExecuteScalarAsync())!;
        }

        return count;
    }

    /// <summary>How many times the address's bytes occur in the raw pages of the store's tables and indexes.</summary>
    private async Task<long> CopiesInPagesAsync(NpgsqlConnection connection, string address)
    {
        var relations = await ListAsync(connection, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = @schema AND c.relkind IN ('r', 'i')");
        long count = 0;
        foreach (var relation in relations)
        {
            await using var command = new NpgsqlCommand(
                "SELECT get_raw_page(@relation, b) FROM generate_series(0, (pg_relation_size(@relation::regclass) / current_setting('block_size')::int)::int - 1) AS b",
                connection);
            command.Parameters.AddWithValue("relation", $"{_schema}.{relation}");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                count += Occurrences(reader.GetFieldValue<byte[]>(0), Encoding.UTF8.GetBytes(address));
            }
        }

        return count;
    }

    private async Task<List<string>> ListAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("schema", _schema);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static int Occurrences(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle)
    {
        var count = 0;
        for (var at = haystack.IndexOf(needle); at >= 0; at = haystack.IndexOf(needle))
        {
            count++;
            haystack = haystack[(at + needle.Length)..];
        }

        return count;
    }
}
