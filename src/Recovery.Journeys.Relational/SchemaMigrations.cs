using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Recovery.Journeys.Relational;

/// <summary>
/// The migration runner of the SQL stores: brings a schema to the package's version by running the versioned scripts
/// it lacks, in order, in one transaction with the version they set, which a table of one row records.
/// </summary>
/// <remarks>
/// Script <c>n</c> (1-based) takes a schema from version <c>n - 1</c> to <c>n</c>; the package's version is the
/// number of scripts. Never edit a shipped script: add the next one. A schema at a version newer than the package's
/// (a newer package migrated it, then an older one was deployed) is refused, never touched.
/// </remarks>
/// <param name="store">The store as error messages name it, e.g. <c>SQLite journey store 'data/journeys.db'</c>.</param>
/// <param name="package">The package that ships the scripts, e.g. <c>Recovery.Journeys.Sqlite</c>.</param>
/// <param name="versionTable">The version table, qualified if need be (<c>recovery_journeys.journey_schema_version</c>).</param>
/// <param name="scripts">The migrations, oldest first, ready to run.</param>
internal sealed partial class SchemaMigrations(string store, string package, string versionTable, IReadOnlyList<string> scripts)
{
    /// <summary>The schema version the package writes and reads.</summary>
    public int CurrentVersion => scripts.Count;

    /// <summary>
    /// Brings the schema to <see cref="CurrentVersion"/> in one transaction on <paramref name="connection"/>, and logs
    /// the migration it ran, if any.
    /// </summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="prepare">
    /// Runs first in the transaction, e.g. to take a lock that makes concurrent migrations wait for each other or to
    /// create the schema that holds the tables; <see langword="null"/> for nothing.
    /// </param>
    /// <param name="timeProvider">Measures how long the migration took, for the log.</param>
    /// <param name="logger">Where the migration is logged.</param>
    /// <param name="cancellationToken">Stops the migration, rolling it back.</param>
    /// <exception cref="InvalidOperationException">The schema is newer than <see cref="CurrentVersion"/>.</exception>
    public async Task MigrateAsync(
        DbConnection connection,
        Func<DbConnection, DbTransaction, CancellationToken, Task>? prepare,
        TimeProvider timeProvider,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (prepare is not null)
        {
            await prepare(connection, transaction, cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, $"CREATE TABLE IF NOT EXISTS {versionTable} (version integer NOT NULL)", cancellationToken).ConfigureAwait(false);
        var version = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The {store} has schema version {version}, newer than version {CurrentVersion} that this {package} package knows: " +
                "a newer version of the package migrated it. Upgrade the package on every app instance that uses the store; " +
                "never run an older one once a newer one has migrated it.");
        }

        if (version == CurrentVersion)
        {
            return;
        }

        for (var next = version + 1; next <= CurrentVersion; next++)
        {
            await ExecuteAsync(connection, transaction, scripts[next - 1], cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, $"DELETE FROM {versionTable}", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"INSERT INTO {versionTable} (version) VALUES ({CurrentVersion.ToString(CultureInfo.InvariantCulture)})", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Log.Migrated(logger, store, version, CurrentVersion, timeProvider.GetElapsedTime(started));
    }

    /// <summary>The version the schema is at; 0 when the version table is empty.</summary>
    private async Task<int> ReadVersionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT max(version) FROM {versionTable}";
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is { } version and not DBNull
            ? Convert.ToInt32(version, CultureInfo.InvariantCulture)
            : 0;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 520, Level = LogLevel.Information, Message = "Migrated the {Store} from schema version {From} to {To} in {Elapsed}")]
        public static partial void Migrated(ILogger logger, string store, int from, int to, TimeSpan elapsed);
    }
}
