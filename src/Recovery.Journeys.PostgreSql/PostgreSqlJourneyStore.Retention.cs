using NodaTime;
using Npgsql;
using Recovery.Journeys.PostgreSql.Storage;

namespace Recovery.Journeys.PostgreSql;

// Retention: finished instances removed with their timelines once their retention period is over.
public sealed partial class PostgreSqlJourneyStore
{
    /// <inheritdoc />
    /// <remarks>
    /// One statement per batch; rows another transaction holds are passed over (<c>SKIP LOCKED</c>), so the purge never
    /// waits for, nor holds up, a claim. Several app instances may purge at once. The space is reused after autovacuum.
    /// </remarks>
    public async ValueTask<int> PurgeEndedAsync(Instant endedBefore, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var command = DataSource.CreateCommand(_rows.PurgeEnded);
        command.Parameters.Add(PostgreSqlRows.Ticks("before", endedBefore));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", maxCount));
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
