using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Recovery.Journeys.Relational;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.PostgreSql.Storage;

/// <summary>
/// The step path's statements (a claim's select and timeout, a commit's update and records) with their parameters
/// numbered (<c>$1</c>, <c>$2</c>, …) rather than named, and their parameters added in that order, unnamed.
/// </summary>
/// <remarks>
/// Npgsql sends a statement with positional parameters as it is; one with named parameters it parses and rewrites on
/// every execution, and that parse was a few percent of the client's CPU per step. The server sees the same prepared
/// statements either way. Each statement is made from its named form in <see cref="PostgreSqlRows"/>, with the order
/// of the names its parameters are added in: a name of the statement missing from that order fails at construction.
/// </remarks>
internal sealed partial class PostgreSqlStepStatements
{
    /// <summary>The order <see cref="AddUpdateParameters"/> adds the update's parameters in.</summary>
    internal static readonly string[] UpdateOrder =
    [
        "status", "next_step_id", "wake_up_at", "last_step_at", "last_sent_step_id", "ended_at", "end_reason", "variables",
        "step_attempt", "step_progress", "last_sent_at", "last_sent_channel", "step_due_at", "id",
    ];

    /// <summary>The order <see cref="AddRecordParameters"/> adds a record's parameters in.</summary>
    internal static readonly string[] RecordOrder = ["instance_id", "journey_name", "at", "kind", "step_id", "channel", "detail", "value"];

    public PostgreSqlStepStatements(PostgreSqlRows rows)
    {
        ClaimDue = Positional(rows.ClaimDue, ["now"]);
        Update = Positional(rows.Update, UpdateOrder);
        InsertRecord = Positional(rows.InsertRecord, RecordOrder);
    }

    /// <summary>The claim's timeout for its transaction: <c>$1</c> is the timeout in milliseconds, as text.</summary>
    public static string ClaimTimeout => "SELECT set_config('idle_in_transaction_session_timeout', $1, true)";

    /// <summary><see cref="PostgreSqlRows.ClaimDue"/>: <c>$1</c> is now, in ticks.</summary>
    public string ClaimDue { get; }

    /// <summary><see cref="PostgreSqlRows.Update"/>, its parameters in <see cref="UpdateOrder"/>.</summary>
    public string Update { get; }

    /// <summary><see cref="PostgreSqlRows.InsertRecord"/>, its parameters in <see cref="RecordOrder"/>.</summary>
    public string InsertRecord { get; }

    /// <summary>Adds the update's parameters for <paramref name="instance"/>, unnamed, in <see cref="UpdateOrder"/>.</summary>
    public static void AddUpdateParameters(NpgsqlParameterCollection p, JourneyInstance instance)
    {
        p.Add(new NpgsqlParameter<short> { TypedValue = (short)instance.Status });
        p.Add(Text(instance.NextStepId));
        p.Add(Ticks(instance.WakeUpAt));
        p.Add(Ticks(instance.LastStepAt));
        p.Add(Text(instance.LastSentStepId));
        p.Add(Ticks(instance.EndedAt));
        p.Add(Text(instance.EndReason));
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = VariablesJsonText(instance) });
        p.Add(new NpgsqlParameter<int> { TypedValue = instance.StepAttempt });
        p.Add(Text(instance.StepProgress));
        p.Add(Ticks(instance.LastSentAt));
        p.Add(Text(instance.LastSentChannel));
        p.Add(Ticks(instance.StepDueAt));
        p.Add(new NpgsqlParameter<Guid> { TypedValue = instance.Id.Value });
    }

    /// <summary>Adds a record's parameters, unnamed, in <see cref="RecordOrder"/>.</summary>
    public static void AddRecordParameters(NpgsqlParameterCollection p, JourneyRecord record)
    {
        p.Add(new NpgsqlParameter<Guid> { TypedValue = record.InstanceId.Value });
        p.Add(Text(record.JourneyName));
        p.Add(new NpgsqlParameter<long> { TypedValue = record.At.ToUnixTimeTicks() });
        p.Add(new NpgsqlParameter<short> { TypedValue = (short)record.Kind });
        p.Add(Text(record.StepId));
        p.Add(Text(record.Channel));
        p.Add(Text(record.Detail));
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Numeric, Value = (object?)record.Value ?? DBNull.Value });
    }

    /// <summary>
    /// <paramref name="sql"/> with each <c>@name</c> replaced by <c>$n</c>, n its place in <paramref name="order"/>
    /// (counted from 1); a name not in the order throws.
    /// </summary>
    internal static string Positional(string sql, IReadOnlyList<string> order) =>
        Parameter().Replace(sql, m =>
        {
            var index = IndexOf(order, m.Groups[1].Value);
            return index >= 0
                ? "$" + (index + 1).ToString(CultureInfo.InvariantCulture)
                : throw new InvalidOperationException($"The parameter @{m.Groups[1].Value} of a step statement has no place in its order.");
        });

    private static int IndexOf(IReadOnlyList<string> order, string name)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static object VariablesJsonText(JourneyInstance instance) => VariablesJson.Write(instance.Variables);

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Ticks(Instant? value) => new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)value?.ToUnixTimeTicks() ?? DBNull.Value };

    [GeneratedRegex("@([a-z_]+)")]
    private static partial Regex Parameter();
}
