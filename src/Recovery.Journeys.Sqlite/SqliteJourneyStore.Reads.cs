using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Sqlite.Storage;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Sqlite;

// Reads on pooled connections, which do not wait for writes.
public sealed partial class SqliteJourneyStore
{
    /// <inheritdoc />
    public async ValueTask<JourneyInstance?> GetAsync(JourneyInstanceId id, CancellationToken cancellationToken) =>
        await ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {SqliteRows.InstanceColumns} FROM journey_instances WHERE id = @id";
            command.Parameters.AddWithValue("@id", id.ToString());
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? SqliteRows.ReadInstance(reader, _eventOptions) : null;
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JourneyInstance>> FindAsync(JourneyInstanceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await ReadAsync<IReadOnlyList<JourneyInstance>>(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText =
                $"SELECT {SqliteRows.InstanceColumns} FROM journey_instances " +
                "WHERE (@journey_name IS NULL OR journey_name = @journey_name) " +
                "AND (@correlation_key IS NULL OR correlation_key = @correlation_key) " +
                "AND (@customer_id IS NULL OR customer_id = @customer_id) ORDER BY seq";
            command.Parameters.AddWithValue("@journey_name", (object?)query.JourneyName ?? DBNull.Value);
            command.Parameters.AddWithValue("@correlation_key", (object?)query.CorrelationKey ?? DBNull.Value);
            command.Parameters.AddWithValue("@customer_id", (object?)query.CustomerId ?? DBNull.Value);
            var found = new List<JourneyInstance>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                found.Add(SqliteRows.ReadInstance(reader, _eventOptions));
            }

            return found;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JourneyRecord>> GetTimelineAsync(JourneyInstanceId id, CancellationToken cancellationToken) =>
        await ReadAsync<IReadOnlyList<JourneyRecord>>(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {SqliteRows.RecordColumns} FROM journey_records WHERE instance_id = @id ORDER BY seq";
            command.Parameters.AddWithValue("@id", id.ToString());
            var timeline = new List<JourneyRecord>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                timeline.Add(SqliteRows.ReadRecord(reader));
            }

            return timeline;
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JourneyRecord>> GetCustomerRecordsAsync(string customerId, Instant since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        return await ReadAsync<IReadOnlyList<JourneyRecord>>(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText =
                $"SELECT {string.Join(", ", SqliteRows.RecordColumns.Split(", ").Select(c => "r." + c))} FROM journey_records r " +
                "JOIN journey_instances i ON i.id = r.instance_id WHERE i.customer_id = @customer_id AND r.at >= @since ORDER BY r.at, r.seq";
            command.Parameters.AddWithValue("@customer_id", customerId);
            command.Parameters.AddWithValue("@since", since.ToUnixTimeTicks());
            var records = new List<JourneyRecord>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                records.Add(SqliteRows.ReadRecord(reader));
            }

            return records;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JourneyRecord> ReadRecordsAsync(
        JourneyRecordQuery query,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {SqliteRows.RecordColumns} FROM journey_records " +
            "WHERE (@journey_name IS NULL OR journey_name = @journey_name) AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to) " +
            "ORDER BY at, seq";
        command.Parameters.AddWithValue("@journey_name", (object?)query.JourneyName ?? DBNull.Value);
        command.Parameters.AddWithValue("@from", (object?)query.From?.ToUnixTimeTicks() ?? DBNull.Value);
        command.Parameters.AddWithValue("@to", (object?)query.To?.ToUnixTimeTicks() ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return SqliteRows.ReadRecord(reader);
        }
    }
}
