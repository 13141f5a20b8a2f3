using System.Data;
using NodaTime;
using Npgsql;
using Recovery.Journeys.Ports;
using Recovery.Journeys.PostgreSql.Storage;
using Recovery.Journeys.Relational;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.PostgreSql;

// Pauses of whole journeys.
public sealed partial class PostgreSqlJourneyStore
{
    /// <inheritdoc />
    public async ValueTask SetPauseAsync(JourneyPause pause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pause);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var command = DataSource.CreateCommand(_rows.SetPause);
        command.Parameters.Add(PostgreSqlRows.Text("journey_name", pause.JourneyName));
        command.Parameters.Add(PostgreSqlRows.Ticks("paused_at", pause.PausedAt));
        command.Parameters.Add(new NpgsqlParameter<bool>("admits", pause.AdmitsNewInstances));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One transaction deletes the pause and writes the <see cref="JourneyRecordKind.Held"/> entries, then sends a
    /// <c>NOTIFY</c> with the journey's earliest wake-up: the other app instances' schedulers passed over the journey
    /// while it was paused, and look at once instead of at their next poll. A Held entry for an instance a claim holds
    /// (a step claimed before the pause) waits for that claim's commit.
    /// </remarks>
    public async ValueTask<PauseEnd?> ClearPauseAsync(string journeyName, Instant resumedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journeyName);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        JourneyPause pause;
        await using (var end = new NpgsqlCommand(_rows.EndPause, connection, transaction))
        {
            end.Parameters.Add(PostgreSqlRows.Text("journey_name", journeyName));
            await using var reader = await end.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            pause = new JourneyPause(journeyName, Instant.FromUnixTimeTicks(reader.GetInt64(0)), reader.GetBoolean(1));
        }

        var held = new List<JourneyInstanceId>();
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            var hold = new NpgsqlBatchCommand(_rows.HoldDue);
            hold.Parameters.Add(PostgreSqlRows.Text("journey_name", journeyName));
            hold.Parameters.Add(PostgreSqlRows.Ticks("resumed_at", resumedAt));
            hold.Parameters.Add(PostgreSqlRows.Text("detail", HeldRecords.Detail(pause.PausedAt, resumedAt)));
            batch.BatchCommands.Add(hold);
            var notify = new NpgsqlBatchCommand(_rows.NotifyResumed);
            notify.Parameters.Add(PostgreSqlRows.Text("channel", _rows.NotifyChannel));
            notify.Parameters.Add(PostgreSqlRows.Text("origin", _origin));
            notify.Parameters.Add(PostgreSqlRows.Text("journey_name", journeyName));
            batch.BatchCommands.Add(notify);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                held.Add(new JourneyInstanceId(reader.GetGuid(0)));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new PauseEnd(pause, held);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JourneyPause>> GetPausesAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var command = DataSource.CreateCommand(_rows.Pauses);
        var pauses = new List<JourneyPause>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pauses.Add(new JourneyPause(reader.GetString(0), Instant.FromUnixTimeTicks(reader.GetInt64(1)), reader.GetBoolean(2)));
        }

        return pauses;
    }
}
