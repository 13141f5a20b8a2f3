using Microsoft.Data.Sqlite;

namespace Recovery.Journeys.Sqlite.Schema;

/// <summary>
/// The store's tables, created and migrated in order. <c>journey_schema_version</c> holds the version a file is at;
/// each migration runs once, in the same transaction as the version it sets.
/// </summary>
/// <remarks>
/// Instants are INTEGER ticks (100 ns) since the Unix epoch, the precision of <see cref="TimeProvider"/>; statuses and
/// record kinds are the integer values of <c>JourneyStatus</c> and <c>JourneyRecordKind</c>; decimals are TEXT, so
/// that 49.90 stays 49.90. Never edit a shipped migration: add the next one.
/// </remarks>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        // 1: instances, their timelines, and the indexes the store's queries use.
        """
        CREATE TABLE journey_instances (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            journey_name TEXT NOT NULL,
            journey_version INTEGER NOT NULL,
            correlation_key TEXT NOT NULL,
            customer_id TEXT,
            trigger_json TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            status INTEGER NOT NULL,
            next_step_id TEXT,
            wake_up_at INTEGER,
            last_step_at INTEGER,
            last_sent_step_id TEXT,
            ended_at INTEGER,
            end_reason TEXT,
            variables_json TEXT NOT NULL
        );
        CREATE UNIQUE INDEX journey_instances_active_key ON journey_instances (journey_name, correlation_key) WHERE status = 0;
        CREATE INDEX journey_instances_due ON journey_instances (wake_up_at, seq) WHERE status = 0;
        CREATE INDEX journey_instances_customer ON journey_instances (customer_id) WHERE customer_id IS NOT NULL;
        CREATE TABLE journey_records (
            seq INTEGER PRIMARY KEY,
            instance_id TEXT NOT NULL,
            journey_name TEXT NOT NULL,
            at INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            step_id TEXT,
            channel TEXT,
            detail TEXT,
            value TEXT
        );
        CREATE INDEX journey_records_instance ON journey_records (instance_id, seq);
        CREATE INDEX journey_records_at ON journey_records (at, seq);
        """,

        // 2: retries and waits keep where a step stands; local-time steps keep the customer's time zone; attribution keeps
        // when and on which channel the last message went.
        """
        ALTER TABLE journey_instances ADD COLUMN time_zone TEXT;
        ALTER TABLE journey_instances ADD COLUMN step_attempt INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE journey_instances ADD COLUMN step_progress TEXT;
        ALTER TABLE journey_instances ADD COLUMN last_sent_at INTEGER;
        ALTER TABLE journey_instances ADD COLUMN last_sent_channel TEXT;
        """,
    ];

    /// <summary>The schema version this package writes and reads.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Brings the file's schema to <see cref="CurrentVersion"/>, or explains why it cannot.</summary>
    /// <exception cref="InvalidOperationException">The file was written by a newer version of the package.</exception>
    public static async Task MigrateAsync(SqliteConnection connection, string path, CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS journey_schema_version (version INTEGER NOT NULL)", cancellationToken).ConfigureAwait(false);
        var version = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The SQLite journey store '{path}' has schema version {version}, newer than version {CurrentVersion} that this " +
                "Recovery.Journeys.Sqlite package knows: it was written by a newer version of the package. Upgrade the package; " +
                "do not downgrade it once a newer one has migrated the file.");
        }

        if (version == CurrentVersion)
        {
            return;
        }

        for (var next = version + 1; next <= CurrentVersion; next++)
        {
            await ExecuteAsync(connection, transaction, Migrations[next - 1], cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, "DELETE FROM journey_schema_version", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"INSERT INTO journey_schema_version (version) VALUES ({CurrentVersion})", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the version a file is at; 0 when the version table is empty.</summary>
    public static async Task<int> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT MAX(version) FROM journey_schema_version";
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version ? (int)version : 0;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
