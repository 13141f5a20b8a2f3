using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NodaTime;
using Npgsql;
using Recovery.Journeys.Benchmarks.Shared;
using Recovery.Journeys.PostgreSql;
using Recovery.Journeys.PostgreSql.Storage;
using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.Benchmarks.Durable;

/// <summary>
/// The PostgreSQL floor of the durable run: <c>pgbench</c> (PostgreSQL's own C client) runs a step's statements, as
/// the store sends them, on a copy of the engine's rows, with as many connections as the engine's workers hold claims.
/// </summary>
/// <remarks>
/// <para>
/// A step is two round trips in the store: the claim (begin, the claim's timeout, the due row <c>FOR UPDATE SKIP
/// LOCKED</c>) and the commit (the instance's update, its timeline entries, <c>COMMIT</c>). pgbench cannot read a
/// result inside a pipeline (<c>\gset</c> is refused there), and the commit needs the claimed row's id, so each round
/// trip is one multi-statement query (<c>\;</c>, simple protocol) instead; the store's statements are prepared
/// (<c>PREPARE</c>, once per connection) and run with <c>EXECUTE</c>, as Npgsql's automatic preparation runs them.
/// </para>
/// <para>
/// The floor writes what the engine writes for the S1 journey: the next step and its due time, the step sent, a Sent
/// entry, and at the third step the end (Completed entry). Each client stops a few transactions short of the 3N steps,
/// so that a claim never finds every due row held by the other clients (pgbench ends a client whose <c>\gset</c> gets no
/// row).
/// </para>
/// </remarks>
internal static partial class PgbenchFloor
{
    private static readonly long Minute = Duration.FromMinutes(1).BclCompatibleTicks;

    /// <summary>Copies the engine's schema (its tables, as the store migrates them, and their rows) to <paramref name="to"/>.</summary>
    public static async Task CopySchemaAsync(string from, string to)
    {
        var store = new PostgreSqlJourneyStore(new PostgreSqlJourneyStoreOptions { ConnectionString = TestPostgres.ConnectionString, Schema = to }, new ShiftedClock());
        await using (store.ConfigureAwait(false))
        {
            await store.MigrateAsync().ConfigureAwait(false);
        }

        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var copy = new NpgsqlCommand(
            $"INSERT INTO {to}.journey_instances OVERRIDING SYSTEM VALUE SELECT * FROM {from}.journey_instances; " +
            $"INSERT INTO {to}.journey_records OVERRIDING SYSTEM VALUE SELECT * FROM {from}.journey_records; " +
            $"SELECT setval(pg_get_serial_sequence('{to}.journey_instances', 'seq'), (SELECT max(seq) FROM {to}.journey_instances)); " +
            $"SELECT setval(pg_get_serial_sequence('{to}.journey_records', 'seq'), (SELECT max(seq) FROM {to}.journey_records)); " +
            $"ANALYZE {from}.journey_instances; ANALYZE {from}.journey_records; ANALYZE {to}.journey_instances; ANALYZE {to}.journey_records",
            connection);
        await copy.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// A checkpoint now, before the engine's or pgbench's timed run: neither then meets a timed checkpoint (every 5
    /// minutes by default, spread over minutes of writes) in its run, which short runs met or missed by chance, and both
    /// start with the same first writes of each page after a checkpoint (full-page images in the write-ahead log).
    /// </summary>
    public static async Task CheckpointAsync()
    {
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var checkpoint = new NpgsqlCommand("CHECKPOINT", connection);
        await checkpoint.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Runs pgbench on <paramref name="schema"/> with <paramref name="clients"/> connections, at most 3N transactions in all,
    /// on the rows due at <paramref name="now"/>; <paramref name="sentBefore"/>: the Sent entries the copy held before.
    /// </summary>
    public static async Task<FloorResult> RunAsync(string schema, Instant now, int clients, int threads, int journeys, long sentBefore = 0)
    {
        var script = Path.Combine(Path.GetTempPath(), $"rj-pgbench-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(script, Script(schema, now)).ConfigureAwait(false);
        try
        {
            var perClient = Math.Max(1, ((3 * journeys) - (2 * clients)) / clients);
            var connection = new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString);
            var start = new ProcessStartInfo("bash")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };

            // pgbench, then bash's `times`: its second line is the CPU time of its children (pgbench).
            foreach (var argument in new[]
            {
                "-c", "\"$0\" \"$@\"; status=$?; times; exit $status", Executable(),
                "--no-vacuum", "--protocol=simple", "--define=prepared=0",
                $"--client={clients}", $"--jobs={Math.Min(threads, clients)}", $"--transactions={perClient}", $"--file={script}",
            })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["PGHOST"] = connection.Host;
            start.Environment["PGPORT"] = connection.Port.ToString(CultureInfo.InvariantCulture);
            start.Environment["PGUSER"] = connection.Username;
            start.Environment["PGPASSWORD"] = connection.Password;
            start.Environment["PGDATABASE"] = connection.Database;
            start.Environment["PGSSLMODE"] = SslMode(connection.SslMode);
            await CheckpointAsync().ConfigureAwait(false);
            var load = MachineLoad.Start();
            using var process = Process.Start(start) ?? throw new InvalidOperationException("pgbench did not start.");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().ConfigureAwait(false);
            var text = await output.ConfigureAwait(false);
            var loadLine = load.Describe();
            var processed = ProcessedPattern().Match(text);
            var tps = TpsPattern().Match(text);
            var times = TimesPattern().Matches(text);
            if (process.ExitCode != 0 || !processed.Success || !tps.Success)
            {
                return new FloorResult(0, 0, false, $"pgbench FAILED (exit {process.ExitCode}): {text}{await errors.ConfigureAwait(false)}", loadLine, 0);
            }

            var done = long.Parse(processed.Groups[1].Value, CultureInfo.InvariantCulture);
            var rate = double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture);
            var cpu = times.Count >= 4 ? Seconds(times[2]) + Seconds(times[3]) : 0;

            // Each transaction recorded its step as sent once (the copy held sentBefore Sent entries).
            await using var count = new NpgsqlConnection(TestPostgres.ConnectionString);
            await count.OpenAsync().ConfigureAwait(false);
            await using var sent = new NpgsqlCommand($"SELECT count(*) FROM {schema}.journey_records WHERE kind = 1", count);
            var recorded = (long)(await sent.ExecuteScalarAsync().ConfigureAwait(false))! - sentBefore;
            var correct = done == (long)perClient * clients && recorded == done;
            var check = $"pgbench: {done:N0} transactions, {recorded:N0} recorded as sent, {clients} clients, {Math.Min(threads, clients)} thread(s)";
            return new FloorResult(done, rate, correct, correct ? check : "FAILED " + check, loadLine, cpu / (done / rate));
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>The pgbench script: the store's statements, prepared once per connection, in the store's two round trips.</summary>
    internal static string Script(string schema, Instant now)
    {
        var rows = new PostgreSqlRows(schema, new JsonSerializerOptions());
        var timeout = ((long)Math.Ceiling(new PostgreSqlJourneyStoreOptions().MaxClaimDuration.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        var (claim, _) = Prepare("rj_claim", rows.ClaimDue);
        var (update, updateParameters) = Prepare("rj_update", rows.Update);
        var (record, recordParameters) = Prepare("rj_record", rows.InsertRecord);
        var ticks = now.ToUnixTimeTicks().ToString(CultureInfo.InvariantCulture);
        var script = new StringBuilder();
        script.AppendLine("\\if :prepared = 0").AppendLine(claim).AppendLine(update).AppendLine(record).AppendLine("\\set prepared 1").AppendLine("\\endif");
        script.AppendLine(CultureInfo.InvariantCulture, $"{PostgreSqlClaim.Begin} \\; SELECT set_config('idle_in_transaction_session_timeout', '{timeout}', true) \\; EXECUTE rj_claim({ticks}) \\gset c_");

        // Which S1 step the row is at, from its due time: +5 min, +1 h or +24 h after the start.
        script.AppendLine("\\set after_start :c_wake_up_at - :c_started_at");
        script.AppendLine(CultureInfo.InvariantCulture, $"\\if :after_start < {30 * Minute}");
        script.AppendLine(Commit(updateParameters, recordParameters, ticks, next: ("email-reminder", 60 * Minute), channel: "push"));
        script.AppendLine(CultureInfo.InvariantCulture, $"\\elif :after_start < {120 * Minute}");
        script.AppendLine(Commit(updateParameters, recordParameters, ticks, next: ("push-extra-offer", 24 * 60 * Minute), channel: "email"));
        script.AppendLine("\\else");
        script.AppendLine(Commit(updateParameters, recordParameters, ticks, next: null, channel: "push"));
        script.AppendLine("\\endif");
        return script.ToString();
    }

    private static string Commit(IReadOnlyList<string> updateParameters, IReadOnlyList<string> recordParameters, string now, (string Step, long AfterStart)? next, string channel)
    {
        var wakeUp = next is { } n ? $"(:c_started_at + {n.AfterStart})" : "NULL";
        var instance = new Dictionary<string, string>
        {
            ["status"] = next is null ? "1" : "0",
            ["next_step_id"] = next is { } s ? $"'{s.Step}'" : "NULL",
            ["wake_up_at"] = wakeUp,
            ["last_step_at"] = now,
            ["last_sent_step_id"] = "':c_next_step_id'",
            ["ended_at"] = next is null ? now : "NULL",
            ["end_reason"] = next is null ? "'completed'" : "NULL",
            ["variables"] = "':c_variables'",
            ["step_attempt"] = "0",
            ["step_progress"] = "NULL",
            ["last_sent_at"] = now,
            ["last_sent_channel"] = $"'{channel}'",
            ["step_due_at"] = wakeUp,
            ["id"] = "':c_id'",
        };
        var statements = new List<string> { Execute("rj_update", updateParameters, instance) };
        statements.Add(Execute("rj_record", recordParameters, Record(now, kind: 1, "':c_next_step_id'", $"'{channel}'")));
        if (next is null)
        {
            statements.Add(Execute("rj_record", recordParameters, Record(now, kind: 7, "NULL", "NULL")));
        }

        statements.Add("COMMIT");
        return string.Join(" \\; ", statements);
    }

    private static Dictionary<string, string> Record(string now, int kind, string step, string channel) => new()
    {
        ["instance_id"] = "':c_id'",
        ["journey_name"] = "':c_journey_name'",
        ["at"] = now,
        ["kind"] = kind.ToString(CultureInfo.InvariantCulture),
        ["step_id"] = step,
        ["channel"] = channel,
        ["detail"] = "NULL",
        ["value"] = "NULL",
    };

    private static string Execute(string name, IReadOnlyList<string> parameters, Dictionary<string, string> values) =>
        $"EXECUTE {name}({string.Join(", ", parameters.Select(p => values[p]))})";

    /// <summary>The store's statement with its named parameters numbered in order of first use, as a PREPARE.</summary>
    private static (string Prepare, IReadOnlyList<string> Parameters) Prepare(string name, string sql)
    {
        var parameters = new List<string>();
        var numbered = ParameterPattern().Replace(sql, match =>
        {
            var index = parameters.IndexOf(match.Groups[1].Value);
            if (index < 0)
            {
                parameters.Add(match.Groups[1].Value);
                index = parameters.Count - 1;
            }

            return "$" + (index + 1).ToString(CultureInfo.InvariantCulture);
        });
        return ($"PREPARE {name} AS {numbered};", parameters);
    }

    private static string Executable()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "pgbench")).FirstOrDefault(File.Exists);
        return onPath
            ?? (Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").Order().Select(d => Path.Combine(d, "bin", "pgbench")).LastOrDefault(File.Exists) : null)
            ?? throw new InvalidOperationException("pgbench is not installed: run `bash eng/test-services.sh` (as root), or install PostgreSQL's client tools.");
    }

    private static string SslMode(SslMode mode) => mode switch
    {
        Npgsql.SslMode.Disable => "disable",
        Npgsql.SslMode.Allow => "allow",
        Npgsql.SslMode.Require => "require",
        Npgsql.SslMode.VerifyCA => "verify-ca",
        Npgsql.SslMode.VerifyFull => "verify-full",
        _ => "prefer",
    };

    private static double Seconds(Match time) =>
        (int.Parse(time.Groups[1].Value, CultureInfo.InvariantCulture) * 60) + double.Parse(time.Groups[2].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex ParameterPattern();

    [GeneratedRegex(@"number of transactions actually processed: (\d+)")]
    private static partial Regex ProcessedPattern();

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsPattern();

    [GeneratedRegex(@"(\d+)m([0-9.]+)s")]
    private static partial Regex TimesPattern();
}
