using Microsoft.Data.Sqlite;
using NodaTime;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Sqlite;

// Retention: finished instances removed with their timelines once their retention period is over.
public sealed partial class SqliteJourneyStore
{
    /// <summary>The finished instances to purge, earliest ended first; an ended instance with a wake-up still has exit actions to run.</summary>
    internal const string PurgeCandidatesSql =
        "SELECT id FROM journey_instances WHERE status <> 0 AND wake_up_at IS NULL AND ended_at < @before ORDER BY ended_at, seq LIMIT @limit";

    /// <inheritdoc />
    /// <remarks>One transaction of the store's one writer per batch: due steps' commits wait at most for one batch.</remarks>
    public async ValueTask<int> PurgeEndedAsync(Instant endedBefore, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        return await WriteAsync(async (connection, ct) =>
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            var ids = new List<string>();
            await using (var select = connection.CreateCommand())
            {
                select.Transaction = transaction;
                select.CommandText = PurgeCandidatesSql;
                select.Parameters.AddWithValue("@before", endedBefore.ToUnixTimeTicks());
                select.Parameters.AddWithValue("@limit", maxCount);
                await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var id = reader.GetString(0);
                    if (!_claims.IsHeld(JourneyInstanceId.Parse(id)))
                    {
                        ids.Add(id);
                    }
                }
            }

            foreach (var id in ids)
            {
                await using var delete = connection.CreateCommand();
                delete.Transaction = transaction;
                delete.CommandText = "DELETE FROM journey_records WHERE instance_id = @id; DELETE FROM journey_instances WHERE id = @id;";
                delete.Parameters.AddWithValue("@id", id);
                await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return ids.Count;
        }, cancellationToken).ConfigureAwait(false);
    }
}
