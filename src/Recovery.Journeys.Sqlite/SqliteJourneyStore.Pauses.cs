using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Sqlite.Storage;

namespace Recovery.Journeys.Sqlite;

// Pauses of whole journeys.
public sealed partial class SqliteJourneyStore
{
    /// <inheritdoc />
    public async ValueTask SetPauseAsync(JourneyPause pause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pause);
        await WriteAsync(async (connection, ct) =>
        {
            await SqlitePauses.SetAsync(connection, pause, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>The pause ends and the held instances get their entries in one transaction of the store's one writer.</remarks>
    public async ValueTask<PauseEnd?> ClearPauseAsync(string journeyName, Instant resumedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journeyName);
        return await WriteAsync((connection, ct) => SqlitePauses.ClearAsync(connection, journeyName, resumedAt, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JourneyPause>> GetPausesAsync(CancellationToken cancellationToken) =>
        await ReadAsync(SqlitePauses.ReadAllAsync, cancellationToken).ConfigureAwait(false);
}
