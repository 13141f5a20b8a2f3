using System.Diagnostics;
using Microsoft.Data.Sqlite;
using NodaTime;
using Recovery.Journeys.Benchmarks.Shared;
using Recovery.Journeys.Sqlite;
using Recovery.Journeys.Sqlite.Storage;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Benchmarks.Durable;

/// <summary>
/// The SQLite floor of the durable run: a bare loop of the store's statements on a copy of the engine's file, with the
/// store's pragmas, and no engine: select up to <c>batch</c> due rows (the claim's query), then for each a transaction
/// of the instance's update, its timeline entries and the commit (a synced write, as the store's).
/// </summary>
/// <remarks>
/// It writes what the engine writes for the S1 journey (the next step and its due time, the step sent, a Sent entry,
/// and at the third step the end and a Completed entry), through the store's statements and its record insert; each
/// statement is a new command, as the store makes them.
/// </remarks>
internal static class SqliteFloor
{
    private static readonly Duration[] AfterStart = [Duration.FromMinutes(5), Duration.FromHours(1), Duration.FromHours(24)];

    private static readonly string[] Steps = ["push-reminder", "email-reminder", "push-extra-offer"];

    private static readonly string[] Channels = ["push", "email", "push"];

    /// <summary>Copies the engine's file (an online backup: the store holds it open) to <paramref name="to"/>.</summary>
    public static void Copy(string from, string to)
    {
        using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = from, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        using var target = new SqliteConnection(ConnectionString(to));
        source.Open();
        target.Open();
        source.BackupDatabase(target);
    }

    /// <summary>Runs the loop until every step of the <paramref name="journeys"/> journeys committed.</summary>
    public static async Task<FloorResult> RunAsync(string path, Instant now, int batch, int journeys)
    {
        await using var connection = new SqliteConnection(ConnectionString(path));
        await connection.OpenAsync().ConfigureAwait(false);
        await using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;";
            await pragmas.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        var expected = 3L * journeys;
        var done = 0L;
        var load = MachineLoad.Start();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        while (done < expected)
        {
            var due = new List<Row>();
            await using (var claim = connection.CreateCommand())
            {
                claim.CommandText = SqliteJourneyStore.ClaimDueSql;
                claim.Parameters.AddWithValue("@now", now.ToUnixTimeTicks());
                claim.Parameters.AddWithValue("@limit", batch);
                await using var reader = await claim.ExecuteReaderAsync().ConfigureAwait(false);
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    due.Add(new Row(reader.GetString(0), reader.GetString(1), reader.GetInt64(6), reader.GetInt64(9), reader.GetString(14)));
                }
            }

            if (due.Count == 0)
            {
                break;
            }

            foreach (var row in due)
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync().ConfigureAwait(false);
                await using (var update = connection.CreateCommand())
                {
                    update.Transaction = transaction;
                    update.CommandText = SqliteRows.UpdateInstance;
                    AddParameters(update, row, now);
                    await update.ExecuteNonQueryAsync().ConfigureAwait(false);
                }

                await SqliteRows.InsertRecordsAsync(connection, transaction, Records(row, now), CancellationToken.None).ConfigureAwait(false);
                await transaction.CommitAsync().ConfigureAwait(false);
                done++;
            }
        }

        var elapsed = watch.Elapsed;
        var cores = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / elapsed.TotalSeconds;
        var loadLine = load.Describe();

        // Every step recorded as sent once, and every journey completed.
        await using var check = connection.CreateCommand();
        check.CommandText = "SELECT (SELECT count(*) FROM journey_records WHERE kind = 1), (SELECT count(*) FROM journey_instances WHERE status = 1)";
        await using var counts = await check.ExecuteReaderAsync().ConfigureAwait(false);
        await counts.ReadAsync().ConfigureAwait(false);
        var (sent, completed) = (counts.GetInt64(0), counts.GetInt64(1));
        var correct = done == expected && sent == expected && completed == journeys;
        var line = $"bare loop: {done:N0} transactions, {sent:N0} recorded as sent, {completed:N0} journeys completed";
        return new FloorResult(done, done / elapsed.TotalSeconds, correct, correct ? line : $"FAILED {line}, expected {expected}", loadLine, cores);
    }

    private static string ConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false, DefaultTimeout = 30 }.ToString();

    private static void AddParameters(SqliteCommand command, Row row, Instant now)
    {
        var step = row.Step;
        var last = step == Steps.Length - 1;
        long? wakeUp = last ? null : (row.StartedAt + AfterStart[step + 1].BclCompatibleTicks);
        var p = command.Parameters;
        p.AddWithValue("@id", row.Id);
        p.AddWithValue("@status", last ? (int)JourneyStatus.Completed : (int)JourneyStatus.Active);
        p.AddWithValue("@next_step_id", last ? DBNull.Value : Steps[step + 1]);
        p.AddWithValue("@wake_up_at", (object?)wakeUp ?? DBNull.Value);
        p.AddWithValue("@last_step_at", now.ToUnixTimeTicks());
        p.AddWithValue("@last_sent_step_id", Steps[step]);
        p.AddWithValue("@ended_at", last ? now.ToUnixTimeTicks() : DBNull.Value);
        p.AddWithValue("@end_reason", last ? "completed" : DBNull.Value);
        p.AddWithValue("@variables_json", row.Variables);
        p.AddWithValue("@step_attempt", 0);
        p.AddWithValue("@step_progress", DBNull.Value);
        p.AddWithValue("@last_sent_at", now.ToUnixTimeTicks());
        p.AddWithValue("@last_sent_channel", Channels[step]);
        p.AddWithValue("@step_due_at", (object?)wakeUp ?? DBNull.Value);
    }

    private static List<JourneyRecord> Records(Row row, Instant now)
    {
        var id = JourneyInstanceId.Parse(row.Id);
        var records = new List<JourneyRecord> { new(id, row.JourneyName, now, JourneyRecordKind.Sent) { StepId = Steps[row.Step], Channel = Channels[row.Step] } };
        if (row.Step == Steps.Length - 1)
        {
            records.Add(new(id, row.JourneyName, now, JourneyRecordKind.Completed));
        }

        return records;
    }

    private sealed record Row(string Id, string JourneyName, long StartedAt, long WakeUpAt, string Variables)
    {
        /// <summary>Which S1 step is due, from its due time: +5 min, +1 h or +24 h after the start.</summary>
        public int Step => (WakeUpAt - StartedAt) < Duration.FromMinutes(30).BclCompatibleTicks ? 0 : (WakeUpAt - StartedAt) < Duration.FromHours(2).BclCompatibleTicks ? 1 : 2;
    }
}
