using Microsoft.Data.Sqlite;
using Recovery.Journeys.Relational;
using Recovery.Journeys.Storage;

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
    ];

    /// <summary>The runner that brings the file at <paramref name="path"/> to this package's schema version.</summary>
    /// <param name="path">The file, as error messages name it.</param>
    public static SchemaMigrations For(string path) =>
        new($"SQLite journey store '{path}'", "Recovery.Journeys.Sqlite", "journey_schema_version", Migrations);
}
