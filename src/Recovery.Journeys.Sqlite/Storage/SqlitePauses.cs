using Microsoft.Data.Sqlite;
using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Relational;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Sqlite.Storage;

/// <summary>The journeys paused now: the rows of <c>journey_pauses</c> (schema version 4), and the resume that ends one.</summary>
internal static class SqlitePauses
{
    /// <summary>
    /// The condition every claim and the next wake-up add, so that a paused journey's instances are passed over. The due
    /// index still drives the query (checked by <c>SqliteJourneyStorePauseTests</c>): the pauses table is a handful of
    /// rows, looked up by its key for each due row.
    /// </summary>
    public const string NotPaused = "journey_name NOT IN (SELECT journey_name FROM journey_pauses)";

    /// <summary>Pauses a journey, or changes its pause.</summary>
    public static async Task SetAsync(SqliteConnection connection, JourneyPause pause, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText =
            "INSERT INTO journey_pauses (journey_name, paused_at, admits_new_instances) VALUES (@journey_name, @paused_at, @admits) " +
            "ON CONFLICT (journey_name) DO UPDATE SET paused_at = excluded.paused_at, admits_new_instances = excluded.admits_new_instances";
        command.Parameters.AddWithValue("@journey_name", pause.JourneyName);
        command.Parameters.AddWithValue("@paused_at", pause.PausedAt.ToUnixTimeTicks());
        command.Parameters.AddWithValue("@admits", pause.AdmitsNewInstances ? 1 : 0);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every pause, by journey name.</summary>
    public static async Task<IReadOnlyList<JourneyPause>> ReadAllAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT journey_name, paused_at, admits_new_instances FROM journey_pauses ORDER BY journey_name";
        var pauses = new List<JourneyPause>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pauses.Add(new JourneyPause(reader.GetString(0), Instant.FromUnixTimeTicks(reader.GetInt64(1)), reader.GetInt64(2) != 0));
        }

        return pauses;
    }

    /// <summary>
    /// Ends a journey's pause and, in the same transaction, writes a <see cref="JourneyRecordKind.Held"/> entry on each of
    /// its active instances whose wake-up came while it was paused (at or before <paramref name="resumedAt"/>).
    /// </summary>
    /// <returns>The pause and the instances it held, or <see langword="null"/> when the journey was not paused.</returns>
    public static async Task<PauseEnd?> ClearAsync(SqliteConnection connection, string journeyName, Instant resumedAt, CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        JourneyPause pause;
        await using (var delete = connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM journey_pauses WHERE journey_name = @journey_name RETURNING paused_at, admits_new_instances";
            delete.Parameters.AddWithValue("@journey_name", journeyName);
            await using var reader = await delete.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            pause = new JourneyPause(journeyName, Instant.FromUnixTimeTicks(reader.GetInt64(0)), reader.GetInt64(1) != 0);
        }

        var held = new List<JourneyRecord>();
        var detail = HeldRecords.Detail(pause.PausedAt, resumedAt);
        await using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT id, next_step_id FROM journey_instances WHERE journey_name = @journey_name AND status = 0 AND wake_up_at <= @resumed_at ORDER BY seq";
            select.Parameters.AddWithValue("@journey_name", journeyName);
            select.Parameters.AddWithValue("@resumed_at", resumedAt.ToUnixTimeTicks());
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                held.Add(new JourneyRecord(JourneyInstanceId.Parse(reader.GetString(0)), journeyName, resumedAt, JourneyRecordKind.Held)
                {
                    StepId = reader.IsDBNull(1) ? null : reader.GetString(1),
                    Detail = detail,
                });
            }
        }

        await SqliteRows.InsertRecordsAsync(connection, transaction, held, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new PauseEnd(pause, [.. held.Select(r => r.InstanceId)]);
    }
}
