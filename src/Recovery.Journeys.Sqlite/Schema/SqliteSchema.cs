using Recovery.Journeys.Relational;

namespace Recovery.Journeys.Sqlite.Schema;

/// <summary>
/// The store's tables, created and migrated in order by the shared runner (<see cref="SchemaMigrations"/>):
/// <c>journey_schema_version</c> holds the version a file is at; each migration runs once, in the same transaction as
/// the version it sets.
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

        // 3: exits remembered per journey and key (a trigger for a paid order does not start); ended instances with exit
        // actions still to run are due, so the due index covers every wake-up, whatever the status (instances ended
        // before this version have nothing left to run: a wake-up they kept is cleared); when the next step first fell due.
        """
        CREATE TABLE journey_exits (
            journey_name TEXT NOT NULL,
            correlation_key TEXT NOT NULL,
            event_type TEXT NOT NULL,
            at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            customer_id TEXT,
            PRIMARY KEY (journey_name, correlation_key)
        );
        CREATE INDEX journey_exits_expiry ON journey_exits (expires_at);
        CREATE INDEX journey_exits_customer ON journey_exits (customer_id) WHERE customer_id IS NOT NULL;
        ALTER TABLE journey_instances ADD COLUMN step_due_at INTEGER;
        UPDATE journey_instances SET wake_up_at = NULL WHERE status <> 0 AND wake_up_at IS NOT NULL;
        DROP INDEX journey_instances_due;
        CREATE INDEX journey_instances_due ON journey_instances (wake_up_at, seq) WHERE wake_up_at IS NOT NULL;
        """,

        // 4: journeys paused by an operator, one row each while paused: their instances are not claimed until it resumes.
        """
        CREATE TABLE journey_pauses (
            journey_name TEXT PRIMARY KEY,
            paused_at INTEGER NOT NULL,
            admits_new_instances INTEGER NOT NULL
        );
        """,

        // 5: the retention purge finds the finished instances whose period is over, earliest ended first, in an index of
        // those rows alone rather than by reading every instance.
        """
        CREATE INDEX journey_instances_ended ON journey_instances (ended_at, seq) WHERE status <> 0 AND wake_up_at IS NULL;
        """,
    ];

    /// <summary>The runner that brings the file at <paramref name="path"/> to this package's schema version.</summary>
    /// <param name="path">The file, as error messages name it.</param>
    /// <param name="version">The version to stop at, for tests that build a file as an older package left it; the package's by default.</param>
    public static SchemaMigrations For(string path, int? version = null) =>
        new($"SQLite journey store '{path}'", "Recovery.Journeys.Sqlite", "journey_schema_version", Migrations[..(version ?? Migrations.Length)]);
}
