using System.Runtime.CompilerServices;
using NodaTime;
using Npgsql;
using Recovery.Journeys.Ports;
using Recovery.Journeys.PostgreSql.Storage;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.PostgreSql;

// Reads.
public sealed partial class PostgreSqlJourneyStore
{
    /// <inheritdoc />
    public async ValueTask<JourneyInstance?> GetAsync(JourneyInstanceId id, CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var command = DataSource.CreateCommand(_rows.Get);
        command.Parameters.Add(new NpgsqlParameter<Guid>("id", id.Value));
        return await ReadInstanceAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JourneyInstance>> FindAsync(JourneyInstanceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var command = DataSource.CreateCommand(_rows.Find);
        command.Parameters.Add(PostgreSqlRows.Text("journey_name", query.JourneyName));
        command.Parameters.Add(PostgreSqlRows.Text("correlation_key", query.CorrelationKey));
        command.Parameters.Add(PostgreSqlRows.Text("customer_id", query.CustomerId));
        var found = new List<JourneyInstance>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(_rows.ReadInstance(reader));
        }

        return found;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JourneyRecord>> GetTimelineAsync(JourneyInstanceId id, CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var command = DataSource.CreateCommand(_rows.Timeline);
        command.Parameters.Add(new NpgsqlParameter<Guid>("id", id.Value));
        var timeline = new List<JourneyRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            timeline.Add(PostgreSqlRows.ReadRecord(reader));
        }

        return timeline;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JourneyRecord>> GetCustomerRecordsAsync(string customerId, Instant since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var command = DataSource.CreateCommand(_rows.CustomerRecords);
        command.Parameters.Add(PostgreSqlRows.Text("customer_id", customerId));
        command.Parameters.Add(PostgreSqlRows.Ticks("since", since));
        var records = new List<JourneyRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(PostgreSqlRows.ReadRecord(reader));
        }

        return records;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JourneyRecord> ReadRecordsAsync(
        JourneyRecordQuery query,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var command = DataSource.CreateCommand(_rows.ReadRecords);
        command.Parameters.Add(PostgreSqlRows.Text("journey_name", query.JourneyName));
        command.Parameters.Add(PostgreSqlRows.Ticks("from", query.From));
        command.Parameters.Add(PostgreSqlRows.Ticks("to", query.To));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return PostgreSqlRows.ReadRecord(reader);
        }
    }

    private async Task<JourneyInstance?> ReadInstanceAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? _rows.ReadInstance(reader) : null;
    }
}
