using System.Collections.Immutable;
using System.Text.Json;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.PostgreSql.Storage;

/// <summary>The store's SQL for one schema, and the mapping of instances and records to rows and back.</summary>
internal sealed class PostgreSqlRows
{
    private const string InstanceColumns =
        "id, journey_name, journey_version, correlation_key, customer_id, trigger_json::text, started_at, status, " +
        "next_step_id, wake_up_at, last_step_at, last_sent_step_id, ended_at, end_reason, variables::text, time_zone, step_attempt, step_progress, " +
        "last_sent_at, last_sent_channel, step_due_at";

    private const string RecordColumns = "instance_id, journey_name, at, kind, step_id, channel, detail, value";

    /// <summary>How many expired exits one start forgets: enough to keep up with the exits remembered, never a long delete.</summary>
    public const int ForgetExpiredBatch = 16;

    private readonly JsonSerializerOptions _eventOptions;

    public PostgreSqlRows(string schema, JsonSerializerOptions eventOptions)
    {
        _eventOptions = eventOptions;
        var instances = $"{schema}.journey_instances";
        var records = $"{schema}.journey_records";
        var exits = $"{schema}.journey_exits";
        var pauses = $"{schema}.journey_pauses";
        NotifyChannel = $"{schema}_due";

        // Every claim and the next wake-up pass over paused journeys. The due index still drives them (checked by
        // PostgreSqlPauseTests): the pauses, a handful of rows, are hashed once per query.
        var notPaused = $"journey_name NOT IN (SELECT journey_name FROM {pauses})";

        // Claims lock the row FOR UPDATE in a transaction that lasts as long as the claim; SKIP LOCKED passes over
        // rows other workers hold, so concurrent claimers never wait for or take each other's instances. Due is any
        // wake-up, whatever the status: an active instance's next step, or an ended instance's exit actions.
        ClaimDue =
            $"SELECT {InstanceColumns} FROM {instances} WHERE wake_up_at <= @now AND {notPaused} " +
            "ORDER BY wake_up_at, seq LIMIT 1 FOR UPDATE SKIP LOCKED";
        ClaimOne = $"SELECT {InstanceColumns} FROM {instances} WHERE id = @id AND wake_up_at <= @now AND {notPaused} FOR UPDATE SKIP LOCKED";

        // Waits (no SKIP LOCKED) for a claim in progress; once it ends, PostgreSQL re-reads the row and re-checks status.
        LockActive = $"SELECT {InstanceColumns} FROM {instances} WHERE journey_name = @journey_name AND correlation_key = @correlation_key AND status = 0 FOR UPDATE";

        // FOR KEY SHARE SKIP LOCKED passes over rows held by claims (FOR UPDATE) without waiting for them.
        NextWakeUp = $"SELECT wake_up_at FROM {instances} WHERE wake_up_at IS NOT NULL AND {notPaused} ORDER BY wake_up_at, seq LIMIT 1 FOR KEY SHARE SKIP LOCKED";

        SetPause =
            $"INSERT INTO {pauses} (journey_name, paused_at, admits_new_instances) VALUES (@journey_name, @paused_at, @admits) " +
            "ON CONFLICT (journey_name) DO UPDATE SET paused_at = excluded.paused_at, admits_new_instances = excluded.admits_new_instances";
        Pauses = $"SELECT journey_name, paused_at, admits_new_instances FROM {pauses} ORDER BY journey_name";
        EndPause = $"DELETE FROM {pauses} WHERE journey_name = @journey_name RETURNING paused_at, admits_new_instances";

        // The active instances whose wake-up came while the journey was paused get a Held entry (kind 21) at the resume.
        // Inserting a record waits for a claim on its instance (the foreign key's check): a step claimed before the pause
        // commits first.
        HoldDue =
            $"INSERT INTO {records} (instance_id, journey_name, at, kind, step_id, detail) " +
            $"SELECT id, journey_name, @resumed_at, 21, next_step_id, @detail FROM {instances} " +
            "WHERE journey_name = @journey_name AND status = 0 AND wake_up_at <= @resumed_at ORDER BY seq RETURNING instance_id";

        // The resumed journey's earliest wake-up, for the other app instances, whose schedulers passed over it while paused.
        NotifyResumed =
            $"SELECT pg_notify(@channel, @origin || ':' || min(wake_up_at)) FROM {instances} " +
            "WHERE journey_name = @journey_name AND wake_up_at IS NOT NULL HAVING min(wake_up_at) IS NOT NULL";

        // The instances a start ends (the one it replaces, those it supersedes), locked in the order of their ids, as an
        // erasure locks its instances: two transactions that lock several instances cannot deadlock on them.
        LockActiveKeys =
            $"SELECT {InstanceColumns} FROM {instances} WHERE status = 0 " +
            "AND (journey_name, correlation_key) IN (SELECT * FROM unnest(@journey_names, @correlation_keys)) ORDER BY id FOR UPDATE";

        // Serialises the starts and exits of one journey and key (see PostgreSqlJourneyStore.TryStartAsync). The two-key
        // form is a lock space of its own, apart from the migration's one-key lock; the schema keeps stores apart.
        LockKey = $"SELECT pg_advisory_xact_lock(hashtext('{schema}:' || @journey_name), hashtext(@correlation_key))";
        FindExit = $"SELECT event_type, at, expires_at, customer_id FROM {exits} WHERE journey_name = @journey_name AND correlation_key = @correlation_key";

        // One row per journey and key: the latest instant (and its event type), the furthest expiry, and the customer
        // of the instance the exit ended, or else the one already known.
        RememberExit =
            $"INSERT INTO {exits} AS e (journey_name, correlation_key, event_type, at, expires_at, customer_id) " +
            "VALUES (@journey_name, @correlation_key, @event_type, @at, @expires_at, @customer_id) " +
            "ON CONFLICT (journey_name, correlation_key) DO UPDATE SET " +
            "event_type = CASE WHEN excluded.at >= e.at THEN excluded.event_type ELSE e.event_type END, " +
            "at = GREATEST(e.at, excluded.at), expires_at = GREATEST(e.expires_at, excluded.expires_at), " +
            "customer_id = COALESCE(excluded.customer_id, e.customer_id)";

        // A few expired exits at a time, earliest first (an index scan that stops at once when none has expired), passing
        // over rows another transaction holds: an expired exit refuses nothing.
        ForgetExpiredExits =
            $"DELETE FROM {exits} WHERE (journey_name, correlation_key) IN (SELECT journey_name, correlation_key FROM {exits} " +
            "WHERE expires_at <= @now ORDER BY expires_at LIMIT @batch FOR UPDATE SKIP LOCKED)";
        Insert =
            $"INSERT INTO {instances} (id, journey_name, journey_version, correlation_key, customer_id, trigger_json, started_at, status, " +
            "next_step_id, wake_up_at, last_step_at, last_sent_step_id, ended_at, end_reason, variables, time_zone, step_attempt, step_progress, last_sent_at, last_sent_channel, step_due_at) " +
            "VALUES (@id, @journey_name, @journey_version, @correlation_key, @customer_id, @trigger_json, @started_at, @status, @next_step_id, " +
            "@wake_up_at, @last_step_at, @last_sent_step_id, @ended_at, @end_reason, @variables, @time_zone, @step_attempt, @step_progress, " +
            "@last_sent_at, @last_sent_channel, @step_due_at)";
        FindActiveId = $"SELECT id FROM {instances} WHERE journey_name = @journey_name AND correlation_key = @correlation_key AND status = 0";
        Update =
            $"UPDATE {instances} SET status = @status, next_step_id = @next_step_id, wake_up_at = @wake_up_at, last_step_at = @last_step_at, " +
            "last_sent_step_id = @last_sent_step_id, ended_at = @ended_at, end_reason = @end_reason, variables = @variables, " +
            "step_attempt = @step_attempt, step_progress = @step_progress, last_sent_at = @last_sent_at, last_sent_channel = @last_sent_channel, " +
            "step_due_at = @step_due_at WHERE id = @id";
        InsertRecord = $"INSERT INTO {records} ({RecordColumns}) VALUES (@instance_id, @journey_name, @at, @kind, @step_id, @channel, @detail, @value)";
        Get = $"SELECT {InstanceColumns} FROM {instances} WHERE id = @id";
        Find =
            $"SELECT {InstanceColumns} FROM {instances} WHERE (@journey_name::text IS NULL OR journey_name = @journey_name) " +
            "AND (@correlation_key::text IS NULL OR correlation_key = @correlation_key) AND (@customer_id::text IS NULL OR customer_id = @customer_id) ORDER BY seq";
        Timeline = $"SELECT {RecordColumns} FROM {records} WHERE instance_id = @id ORDER BY seq";
        CustomerRecords =
            $"SELECT {string.Join(", ", RecordColumns.Split(", ").Select(c => "r." + c))} FROM {records} r JOIN {instances} i ON i.id = r.instance_id " +
            "WHERE i.customer_id = @customer_id AND r.at >= @since ORDER BY r.at, r.seq";
        ReadRecords =
            $"SELECT {RecordColumns} FROM {records} WHERE (@journey_name::text IS NULL OR journey_name = @journey_name) " +
            "AND (@from::bigint IS NULL OR at >= @from) AND (@to::bigint IS NULL OR at < @to) ORDER BY at, seq";

        // An erasure first locks the customer's instances in the order of their ids, as a start locks those it ends, and
        // waits for the claims on them; then, in a statement whose snapshot sees every exit committed meanwhile, deletes
        // them (their records go with them, ON DELETE CASCADE) and the exits remembered for the customer or their keys.
        LockCustomer = $"SELECT id FROM {instances} WHERE customer_id = @customer_id ORDER BY id FOR UPDATE";
        LockCustomerSends = $"SELECT pg_advisory_xact_lock(hashtext('{schema}:customer-sends'), hashtext(@customer_id))";
        Erase =
            $"WITH erased AS (DELETE FROM {instances} WHERE customer_id = @customer_id RETURNING journey_name, correlation_key), " +
            $"forgotten AS (DELETE FROM {exits} WHERE (journey_name, correlation_key) IN (" +
            $"SELECT journey_name, correlation_key FROM {exits} WHERE customer_id = @customer_id " +
            "UNION SELECT journey_name, correlation_key FROM erased)) " +
            "SELECT count(*) FROM erased";

        // Locked rows (a claim, an exit in progress) are passed over; the records go with their instance (ON DELETE CASCADE).
        PurgeEnded =
            $"WITH purged AS (DELETE FROM {instances} WHERE id IN (SELECT id FROM {instances} " +
            "WHERE status <> 0 AND wake_up_at IS NULL AND ended_at < @before ORDER BY ended_at, seq LIMIT @limit FOR UPDATE SKIP LOCKED) RETURNING 1) " +
            "SELECT count(*) FROM purged";
    }

    public string NotifyChannel { get; }

    public string ClaimDue { get; }

    public string ClaimOne { get; }

    public string LockActive { get; }

    public string NextWakeUp { get; }

    public string Insert { get; }

    public string FindActiveId { get; }

    public string Update { get; }

    public string InsertRecord { get; }

    public string Get { get; }

    public string Find { get; }

    public string Timeline { get; }

    public string ReadRecords { get; }

    public string CustomerRecords { get; }

    public string LockCustomer { get; }

    /// <summary>A claim's hold on a customer, for exact frequency caps: a transaction-scoped advisory lock, released by its commit.</summary>
    public string LockCustomerSends { get; }

    public string Erase { get; }

    /// <summary>One batch of the retention purge: finished instances ended before <c>@before</c>, at most <c>@limit</c>.</summary>
    public string PurgeEnded { get; }

    public string LockActiveKeys { get; }

    public string LockKey { get; }

    public string FindExit { get; }

    public string RememberExit { get; }

    public string ForgetExpiredExits { get; }

    public string SetPause { get; }

    public string Pauses { get; }

    public string EndPause { get; }

    public string HoldDue { get; }

    public string NotifyResumed { get; }

    public static void AddInstanceParameters(NpgsqlParameterCollection p, JourneyInstance instance, bool all)
    {
        p.Add(new NpgsqlParameter<Guid>("id", instance.Id.Value));
        p.Add(Text("next_step_id", instance.NextStepId));
        p.Add(new NpgsqlParameter<short>("status", (short)instance.Status));
        p.Add(Ticks("wake_up_at", instance.WakeUpAt));
        p.Add(Ticks("last_step_at", instance.LastStepAt));
        p.Add(Text("last_sent_step_id", instance.LastSentStepId));
        p.Add(Ticks("ended_at", instance.EndedAt));
        p.Add(Text("end_reason", instance.EndReason));
        p.Add(new NpgsqlParameter("variables", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(instance.Variables) });
        p.Add(new NpgsqlParameter<int>("step_attempt", instance.StepAttempt));
        p.Add(Text("step_progress", instance.StepProgress));
        p.Add(Ticks("last_sent_at", instance.LastSentAt));
        p.Add(Text("last_sent_channel", instance.LastSentChannel));
        p.Add(Ticks("step_due_at", instance.StepDueAt));
        if (all)
        {
            p.Add(Text("journey_name", instance.JourneyName));
            p.Add(new NpgsqlParameter<int>("journey_version", instance.JourneyVersion));
            p.Add(Text("correlation_key", instance.CorrelationKey));
            p.Add(Text("customer_id", instance.CustomerId));
            p.Add(new NpgsqlParameter("trigger_json", NpgsqlDbType.Jsonb) { Value = instance.Trigger.ToJson() });
            p.Add(Ticks("started_at", instance.StartedAt));
            p.Add(Text("time_zone", instance.TimeZone));
        }
    }

    public static void AddRecordParameters(NpgsqlParameterCollection p, JourneyRecord record)
    {
        p.Add(new NpgsqlParameter<Guid>("instance_id", record.InstanceId.Value));
        p.Add(Text("journey_name", record.JourneyName));
        p.Add(Ticks("at", record.At));
        p.Add(new NpgsqlParameter<short>("kind", (short)record.Kind));
        p.Add(Text("step_id", record.StepId));
        p.Add(Text("channel", record.Channel));
        p.Add(Text("detail", record.Detail));
        p.Add(new NpgsqlParameter("value", NpgsqlDbType.Numeric) { Value = (object?)record.Value ?? DBNull.Value });
    }

    public JourneyInstance ReadInstance(NpgsqlDataReader reader) =>
        new()
        {
            Id = new JourneyInstanceId(reader.GetGuid(0)),
            JourneyName = reader.GetString(1),
            JourneyVersion = reader.GetInt32(2),
            CorrelationKey = reader.GetString(3),
            CustomerId = NullableString(reader, 4),
            Trigger = StoredEvent.FromJson(reader.GetString(5), _eventOptions),
            StartedAt = Instant.FromUnixTimeTicks(reader.GetInt64(6)),
            Status = (JourneyStatus)reader.GetInt16(7),
            NextStepId = NullableString(reader, 8),
            WakeUpAt = NullableInstant(reader, 9),
            LastStepAt = NullableInstant(reader, 10),
            LastSentStepId = NullableString(reader, 11),
            EndedAt = NullableInstant(reader, 12),
            EndReason = NullableString(reader, 13),
            Variables = (JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(14)) ?? []).ToImmutableDictionary(),
            TimeZone = NullableString(reader, 15),
            StepAttempt = reader.GetInt32(16),
            StepProgress = NullableString(reader, 17),
            LastSentAt = NullableInstant(reader, 18),
            LastSentChannel = NullableString(reader, 19),
            StepDueAt = NullableInstant(reader, 20),
        };

    public static JourneyRecord ReadRecord(NpgsqlDataReader reader) =>
        new(new JourneyInstanceId(reader.GetGuid(0)), reader.GetString(1), Instant.FromUnixTimeTicks(reader.GetInt64(2)), (JourneyRecordKind)reader.GetInt16(3))
        {
            StepId = NullableString(reader, 4),
            Channel = NullableString(reader, 5),
            Detail = NullableString(reader, 6),
            Value = reader.IsDBNull(7) ? null : reader.GetDecimal(7),
        };

    public static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Ticks(string name, Instant? value) => new(name, NpgsqlDbType.Bigint) { Value = (object?)value?.ToUnixTimeTicks() ?? DBNull.Value };

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static Instant? NullableInstant(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Instant.FromUnixTimeTicks(reader.GetInt64(ordinal));
}
