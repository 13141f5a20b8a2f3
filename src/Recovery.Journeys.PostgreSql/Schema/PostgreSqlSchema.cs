using Microsoft.Extensions.Logging;
using Npgsql;
using Recovery.Journeys.Relational;

namespace Recovery.Journeys.PostgreSql.Schema;

/// <summary>
/// The store's tables in their schema, created and migrated in order by the shared runner
/// (<see cref="SchemaMigrations"/>): <c>journey_schema_version</c> holds the version the schema is at; each migration
/// runs once, in the same transaction as the version it sets, under an advisory lock, so that app instances starting
/// together migrate once.
/// </summary>
/// <remarks>
/// Instants are <c>bigint</c> ticks (100 ns) since the Unix epoch, the precision of <see cref="TimeProvider"/>
/// (<c>timestamptz</c> keeps microseconds only); statuses and record kinds are the integer values of
/// <c>JourneyStatus</c> and <c>JourneyRecordKind</c>. Never edit a shipped migration: add the next one.
/// </remarks>
internal static class PostgreSqlSchema
{
    private static readonly string[] Migrations =
    [
        // 1: instances, their timelines, and the indexes the store's queries use.
        """
        CREATE TABLE {schema}.journey_instances (
            seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
            id uuid PRIMARY KEY,
            journey_name text NOT NULL,
            journey_version integer NOT NULL,
            correlation_key text NOT NULL,
            customer_id text,
            trigger_json jsonb NOT NULL,
            started_at bigint NOT NULL,
            status smallint NOT NULL,
            next_step_id text,
            wake_up_at bigint,
            last_step_at bigint,
            last_sent_step_id text,
            ended_at bigint,
            end_reason text,
            variables jsonb NOT NULL
        );
        COMMENT ON COLUMN {schema}.journey_instances.wake_up_at IS 'Unix time in 100 ns ticks: to_timestamp(wake_up_at / 1e7)';
        COMMENT ON COLUMN {schema}.journey_instances.status IS '0 active, 1 completed, 2 converted, 3 exited';
        CREATE UNIQUE INDEX journey_instances_active_key ON {schema}.journey_instances (journey_name, correlation_key) WHERE status = 0;
        CREATE INDEX journey_instances_due ON {schema}.journey_instances (wake_up_at, seq) WHERE status = 0;
        CREATE INDEX journey_instances_customer ON {schema}.journey_instances (customer_id) WHERE customer_id IS NOT NULL;
        CREATE TABLE {schema}.journey_records (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            instance_id uuid NOT NULL REFERENCES {schema}.journey_instances (id) ON DELETE CASCADE,
            journey_name text NOT NULL,
            at bigint NOT NULL,
            kind smallint NOT NULL,
            step_id text,
            channel text,
            detail text,
            value numeric
        );
        COMMENT ON COLUMN {schema}.journey_records.kind IS '0 entered, 1 sent, 2 skipped, 3 failed, 4 re-entry ignored, 5 converted, 6 exited, 7 completed';
        CREATE INDEX journey_records_instance ON {schema}.journey_records (instance_id, seq);
        CREATE INDEX journey_records_at ON {schema}.journey_records (at, seq);
        """,

        // 2: retries and waits keep where a step stands; local-time steps keep the customer's time zone; attribution keeps
        // when and on which channel the last message went.
        """
        ALTER TABLE {schema}.journey_instances ADD COLUMN time_zone text;
        ALTER TABLE {schema}.journey_instances ADD COLUMN step_attempt integer NOT NULL DEFAULT 0;
        ALTER TABLE {schema}.journey_instances ADD COLUMN step_progress text;
        ALTER TABLE {schema}.journey_instances ADD COLUMN last_sent_at bigint;
        ALTER TABLE {schema}.journey_instances ADD COLUMN last_sent_channel text;
        COMMENT ON COLUMN {schema}.journey_records.kind IS 'the integer value of JourneyRecordKind: 0 entered, 1 sent, 2 skipped, 3 failed, 4 re-entry ignored, 5 converted, 6 exited, 7 completed, 8 retry scheduled, 9 deferred, 10 branched, 11 waiting, 12 resumed, 13 timed out, 14 wait restarted, 15 coupon issued, 16 coupon raised, 17 coupon revoked, 18 coupon withheld, 19 assigned to a variant or the holdout';
        """,

        // 3: exits remembered per journey and key (a trigger for a paid order does not start); ended instances with exit
        // actions still to run are due, so the due index covers every wake-up, whatever the status (instances ended
        // before this version have nothing left to run: a wake-up they kept is cleared); when the next step first fell
        // due; the new status and record kind in the comments.
        """
        CREATE TABLE {schema}.journey_exits (
            journey_name text NOT NULL,
            correlation_key text NOT NULL,
            event_type text NOT NULL,
            at bigint NOT NULL,
            expires_at bigint NOT NULL,
            customer_id text,
            PRIMARY KEY (journey_name, correlation_key)
        );
        COMMENT ON TABLE {schema}.journey_exits IS 'the last exit event per journey and correlation key, until expires_at: a trigger for the key that happened at or before at does not start an instance';
        COMMENT ON COLUMN {schema}.journey_exits.at IS 'Unix time in 100 ns ticks: to_timestamp(at / 1e7)';
        COMMENT ON COLUMN {schema}.journey_exits.customer_id IS 'the customer of the instance the exit ended, so that erasing the customer forgets the exit';
        CREATE INDEX journey_exits_expiry ON {schema}.journey_exits (expires_at);
        CREATE INDEX journey_exits_customer ON {schema}.journey_exits (customer_id) WHERE customer_id IS NOT NULL;
        ALTER TABLE {schema}.journey_instances ADD COLUMN step_due_at bigint;
        UPDATE {schema}.journey_instances SET wake_up_at = NULL WHERE status <> 0 AND wake_up_at IS NOT NULL;
        DROP INDEX {schema}.journey_instances_due;
        CREATE INDEX journey_instances_due ON {schema}.journey_instances (wake_up_at, seq) WHERE wake_up_at IS NOT NULL;
        COMMENT ON COLUMN {schema}.journey_instances.wake_up_at IS 'Unix time in 100 ns ticks: to_timestamp(wake_up_at / 1e7); when the instance is due: its next step, or, once ended, its exit actions; NULL when nothing is left to run';
        COMMENT ON COLUMN {schema}.journey_instances.status IS 'the integer value of JourneyStatus: 0 active, 1 completed, 2 converted, 3 exited, 4 failed';
        COMMENT ON COLUMN {schema}.journey_records.kind IS 'the integer value of JourneyRecordKind: 0 entered, 1 sent, 2 skipped, 3 failed, 4 re-entry ignored, 5 converted, 6 exited, 7 completed, 8 retry scheduled, 9 deferred, 10 branched, 11 waiting, 12 resumed, 13 timed out, 14 wait restarted, 15 coupon issued, 16 coupon raised, 17 coupon revoked, 18 coupon withheld, 19 assigned to a variant or the holdout, 20 refused (an exit remembered for the key, or a stale trigger)';
        """,

        // 4: journeys paused by an operator, one row each while paused: their instances are not claimed until it resumes;
        // the new record kind in the comment.
        """
        CREATE TABLE {schema}.journey_pauses (
            journey_name text PRIMARY KEY,
            paused_at bigint NOT NULL,
            admits_new_instances boolean NOT NULL
        );
        COMMENT ON TABLE {schema}.journey_pauses IS 'journeys paused by an operator: no instance of a journey here is claimed until it resumes (the row is deleted)';
        COMMENT ON COLUMN {schema}.journey_pauses.paused_at IS 'Unix time in 100 ns ticks: to_timestamp(paused_at / 1e7)';
        COMMENT ON COLUMN {schema}.journey_records.kind IS 'the integer value of JourneyRecordKind: 0 entered, 1 sent, 2 skipped, 3 failed, 4 re-entry ignored, 5 converted, 6 exited, 7 completed, 8 retry scheduled, 9 deferred, 10 branched, 11 waiting, 12 resumed, 13 timed out, 14 wait restarted, 15 coupon issued, 16 coupon raised, 17 coupon revoked, 18 coupon withheld, 19 assigned to a variant or the holdout, 20 refused (an exit remembered for the key, or a stale trigger), 21 held (due while its journey was paused)';
        """,

        // 5: the retention purge finds the finished instances whose period is over, earliest ended first, in an index of
        // those rows alone rather than by reading every instance. Built in the migration's transaction, which holds
        // writes to the instances for as long as the build takes (about a second per million rows).
        """
        CREATE INDEX journey_instances_ended ON {schema}.journey_instances (ended_at, seq) WHERE status <> 0 AND wake_up_at IS NULL;
        """,
    ];

    /// <summary>
    /// Brings the schema to this package's version with the shared runner (<see cref="SchemaMigrations"/>), creating it
    /// when missing, or explains why it cannot.
    /// </summary>
    /// <param name="dataSource">The store's connections.</param>
    /// <param name="schema">The schema that holds the tables.</param>
    /// <param name="timeProvider">Times the migration for the log.</param>
    /// <param name="logger">Where the migration is logged.</param>
    /// <param name="cancellationToken">Stops the migration, rolling it back.</param>
    /// <param name="version">The version to stop at, for tests that build a schema as an older package left it; the package's by default.</param>
    /// <exception cref="InvalidOperationException">The schema was migrated by a newer version of the package.</exception>
    public static async Task MigrateAsync(NpgsqlDataSource dataSource, string schema, TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken, int? version = null)
    {
        var migrations = new SchemaMigrations(
            $"PostgreSQL journey store in schema '{schema}'",
            "Recovery.Journeys.PostgreSql",
            $"{schema}.journey_schema_version",
            [.. Migrations[..(version ?? Migrations.Length)].Select(script => script.Replace("{schema}", schema, StringComparison.Ordinal))]);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await migrations.MigrateAsync(
            connection,
            (_, transaction, ct) => LockAndCreateSchemaAsync(connection, (NpgsqlTransaction)transaction, schema, ct),
            timeProvider,
            logger,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes app instances that start together migrate one after the other (the later ones find the schema migrated),
    /// and creates the schema when it is missing.
    /// </summary>
    private static async Task LockAndCreateSchemaAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, CancellationToken cancellationToken)
    {
        await using (var lockSchema = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext(@key))", connection, transaction))
        {
            lockSchema.Parameters.AddWithValue("key", $"recovery_journeys.migrate.{schema}");
            await lockSchema.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // CREATE SCHEMA needs the CREATE privilege on the database even with IF NOT EXISTS: only ask when it is missing,
        // so that a role given just USAGE and CREATE on an existing schema can run the store.
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_namespace WHERE nspname = @schema", connection, transaction);
        exists.Parameters.AddWithValue("schema", schema);
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection, transaction);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
