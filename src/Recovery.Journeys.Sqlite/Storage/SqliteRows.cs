using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NodaTime;
using Recovery.Journeys.Relational;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Sqlite.Storage;

/// <summary>Maps instances and records to the rows of <c>Schema/SqliteSchema.cs</c> and back.</summary>
internal static class SqliteRows
{
    public const string InstanceColumns =
        "id, journey_name, journey_version, correlation_key, customer_id, trigger_json, started_at, status, " +
        "next_step_id, wake_up_at, last_step_at, last_sent_step_id, ended_at, end_reason, variables_json, " +
        "time_zone, step_attempt, step_progress, last_sent_at, last_sent_channel, step_due_at";

    public const string RecordColumns = "instance_id, journey_name, at, kind, step_id, channel, detail, value";

    public const string InsertInstance =
        $"INSERT INTO journey_instances ({InstanceColumns}) VALUES (@id, @journey_name, @journey_version, @correlation_key, " +
        "@customer_id, @trigger_json, @started_at, @status, @next_step_id, @wake_up_at, @last_step_at, @last_sent_step_id, " +
        "@ended_at, @end_reason, @variables_json, @time_zone, @step_attempt, @step_progress, @last_sent_at, @last_sent_channel, @step_due_at)";

    // The columns a transition may change; the rest are fixed at the start.
    public const string UpdateInstance =
        "UPDATE journey_instances SET status = @status, next_step_id = @next_step_id, wake_up_at = @wake_up_at, " +
        "last_step_at = @last_step_at, last_sent_step_id = @last_sent_step_id, ended_at = @ended_at, end_reason = @end_reason, " +
        "variables_json = @variables_json, step_attempt = @step_attempt, step_progress = @step_progress, " +
        "last_sent_at = @last_sent_at, last_sent_channel = @last_sent_channel, step_due_at = @step_due_at WHERE id = @id";

    public static void AddInstanceParameters(SqliteCommand command, JourneyInstance instance)
    {
        var p = command.Parameters;
        p.AddWithValue("@id", instance.Id.ToString());
        p.AddWithValue("@journey_name", instance.JourneyName);
        p.AddWithValue("@journey_version", instance.JourneyVersion);
        p.AddWithValue("@correlation_key", instance.CorrelationKey);
        p.AddWithValue("@customer_id", Db(instance.CustomerId));
        p.AddWithValue("@trigger_json", instance.Trigger.ToJson());
        p.AddWithValue("@started_at", instance.StartedAt.ToUnixTimeTicks());
        p.AddWithValue("@status", (int)instance.Status);
        p.AddWithValue("@next_step_id", Db(instance.NextStepId));
        p.AddWithValue("@wake_up_at", Db(instance.WakeUpAt?.ToUnixTimeTicks()));
        p.AddWithValue("@last_step_at", Db(instance.LastStepAt?.ToUnixTimeTicks()));
        p.AddWithValue("@last_sent_step_id", Db(instance.LastSentStepId));
        p.AddWithValue("@ended_at", Db(instance.EndedAt?.ToUnixTimeTicks()));
        p.AddWithValue("@end_reason", Db(instance.EndReason));
        p.AddWithValue("@variables_json", VariablesJson.Write(instance.Variables));
        p.AddWithValue("@time_zone", Db(instance.TimeZone));
        p.AddWithValue("@step_attempt", instance.StepAttempt);
        p.AddWithValue("@step_progress", Db(instance.StepProgress));
        p.AddWithValue("@last_sent_at", Db(instance.LastSentAt?.ToUnixTimeTicks()));
        p.AddWithValue("@last_sent_channel", Db(instance.LastSentChannel));
        p.AddWithValue("@step_due_at", Db(instance.StepDueAt?.ToUnixTimeTicks()));
    }

    /// <summary>Reads an instance selected with <see cref="InstanceColumns"/>, starting at <paramref name="first"/>.</summary>
    public static JourneyInstance ReadInstance(SqliteDataReader reader, JsonSerializerOptions eventOptions, int first = 0) =>
        new()
        {
            Id = JourneyInstanceId.Parse(reader.GetString(first)),
            JourneyName = reader.GetString(first + 1),
            JourneyVersion = reader.GetInt32(first + 2),
            CorrelationKey = reader.GetString(first + 3),
            CustomerId = NullableString(reader, first + 4),
            Trigger = StoredEvent.FromJson(reader.GetString(first + 5), eventOptions),
            StartedAt = Instant.FromUnixTimeTicks(reader.GetInt64(first + 6)),
            Status = (JourneyStatus)reader.GetInt32(first + 7),
            NextStepId = NullableString(reader, first + 8),
            WakeUpAt = NullableInstant(reader, first + 9),
            LastStepAt = NullableInstant(reader, first + 10),
            LastSentStepId = NullableString(reader, first + 11),
            EndedAt = NullableInstant(reader, first + 12),
            EndReason = NullableString(reader, first + 13),
            Variables = ReadVariables(reader.GetString(first + 14)),
            TimeZone = NullableString(reader, first + 15),
            StepAttempt = reader.GetInt32(first + 16),
            StepProgress = NullableString(reader, first + 17),
            LastSentAt = NullableInstant(reader, first + 18),
            LastSentChannel = NullableString(reader, first + 19),
            StepDueAt = NullableInstant(reader, first + 20),
        };

    public static async Task InsertRecordsAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<JourneyRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO journey_records ({RecordColumns}) VALUES (@instance_id, @journey_name, @at, @kind, @step_id, @channel, @detail, @value)";
        var instanceId = command.Parameters.Add("@instance_id", SqliteType.Text);
        var journeyName = command.Parameters.Add("@journey_name", SqliteType.Text);
        var at = command.Parameters.Add("@at", SqliteType.Integer);
        var kind = command.Parameters.Add("@kind", SqliteType.Integer);
        var stepId = command.Parameters.Add("@step_id", SqliteType.Text);
        var channel = command.Parameters.Add("@channel", SqliteType.Text);
        var detail = command.Parameters.Add("@detail", SqliteType.Text);
        var value = command.Parameters.Add("@value", SqliteType.Text);
        foreach (var record in records)
        {
            instanceId.Value = record.InstanceId.ToString();
            journeyName.Value = record.JourneyName;
            at.Value = record.At.ToUnixTimeTicks();
            kind.Value = (int)record.Kind;
            stepId.Value = Db(record.StepId);
            channel.Value = Db(record.Channel);
            detail.Value = Db(record.Detail);
            value.Value = Db(record.Value?.ToString(CultureInfo.InvariantCulture));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a record selected with <see cref="RecordColumns"/>.</summary>
    public static JourneyRecord ReadRecord(SqliteDataReader reader) =>
        new(JourneyInstanceId.Parse(reader.GetString(0)), reader.GetString(1), Instant.FromUnixTimeTicks(reader.GetInt64(2)), (JourneyRecordKind)reader.GetInt32(3))
        {
            StepId = NullableString(reader, 4),
            Channel = NullableString(reader, 5),
            Detail = NullableString(reader, 6),
            Value = reader.IsDBNull(7) ? null : decimal.Parse(reader.GetString(7), NumberStyles.Number, CultureInfo.InvariantCulture),
        };

    private static ImmutableDictionary<string, string> ReadVariables(string json) =>
        json == "{}"
            ? ImmutableDictionary<string, string>.Empty
            : VariablesJson.Read(json);

    private static object Db(object? value) => value ?? DBNull.Value;

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static Instant? NullableInstant(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Instant.FromUnixTimeTicks(reader.GetInt64(ordinal));
}
