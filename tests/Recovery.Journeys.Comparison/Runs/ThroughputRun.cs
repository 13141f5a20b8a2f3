using NodaTime;
using Npgsql;
using Recovery.Journeys.Benchmarks.Shared;
using Recovery.Journeys.Comparison.Peers;
using Recovery.Journeys.Comparison.S1.Library;
using Recovery.Journeys.Comparison.Shop;
using Recovery.Journeys.Ports;
using Recovery.Journeys.PostgreSql;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Sqlite;
using Recovery.Journeys.Storage;
using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.Comparison.Runs;

/// <summary>
/// <c>throughput [library] [hangfire] [wolverine] [--store postgresql|sqlite] [--workers 1,2] [--journeys 1000] [--runs 3] [--tuned]</c>:
/// durable S1 steps per second once a backlog of them is due.
/// </summary>
/// <remarks>
/// N checkouts are published while no step is due; then every step comes due at once, and the run times the workers
/// until all 3N reminders reached the channel: steps per second is 3N over the time from the first send to the last.
/// How each framework's backlog comes due is its own: the library's clock jumps two days (as in docs/performance.md);
/// Hangfire's jobs were scheduled for times already past (the checkouts were abandoned two days ago); Wolverine's first
/// timeouts are moved to now in its table (its clock cannot jump), and the next two follow each at once (delay 0).
/// Two workers are two app instances (own framework objects and pools) in this process, on one schema. Each
/// configuration runs once untimed first (50 checkouts).
/// </remarks>
public static class ThroughputRun
{
    public sealed record Result(string Framework, int Workers, long Steps, TimeSpan FirstToLast, TimeSpan Wall, bool Correct, string Check, string Load)
    {
        public double StepsPerSecond => Steps / Math.Max(FirstToLast.TotalSeconds, 1e-3);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var store = Args.Text(args, "--store") ?? "postgresql";
        var journeys = Args.Int(args, "--journeys", 1000);
        var runs = Args.Int(args, "--runs", 3);
        var tuned = Args.Flag(args, "--tuned");
        var workerCounts = (Args.Text(args, "--workers") ?? "1,2").Split(',').Select(int.Parse).ToArray();
        var failed = false;
        Console.WriteLine($"throughput: {journeys:N0} checkouts x 3 steps on {store}, {(tuned ? "tuned" : "defaults")}, {runs} run(s); load average {MachineLoad.LoadAverage():F2} before");
        foreach (var framework in Args.Frameworks(args))
        {
            foreach (var workers in workerCounts)
            {
                // A short run first, not counted: the runtime compiles the code and the pools open their connections.
                _ = await MeasureAsync(framework, store, workers, 50, tuned).ConfigureAwait(false);
                var rates = new List<double>();
                for (var run = 0; run < runs; run++)
                {
                    var result = await MeasureAsync(framework, store, workers, journeys, tuned).ConfigureAwait(false);
                    failed |= !result.Correct;
                    rates.Add(result.StepsPerSecond);
                    Console.WriteLine($"  {framework}, {workers} worker(s), run {run + 1}: {result.Steps:N0} steps, first to last send {result.FirstToLast.TotalSeconds:F2} s = {result.StepsPerSecond:N0} steps/s (wall {result.Wall.TotalSeconds:F1} s); {result.Check}; {result.Load}");
                }

                Console.WriteLine($"{framework}, {store}, {workers} worker(s), {(tuned ? "tuned" : "defaults")}: median {Args.Median(rates):N0} steps/s");
            }
        }

        return failed ? 1 : 0;
    }

    public static async Task<Result> MeasureAsync(string framework, string store, int workers, int journeys, bool tuned)
    {
        await using var environment = await RunEnvironment.CreateAsync(framework, store).ConfigureAwait(false);
        var log = new MemorySendLog();
        var expected = 3L * journeys;
        return framework == "library"
            ? await LibraryAsync(environment, log, workers, journeys).ConfigureAwait(false)
            : await PeerAsync(framework, environment, log, workers, journeys, tuned).ConfigureAwait(false);
    }

    private static async Task<Result> PeerAsync(string framework, RunEnvironment environment, MemorySendLog log, int workers, int journeys, bool tuned)
    {
        var expected = 3L * journeys;
        var nodes = new List<IRecoveryNode>();
        try
        {
            var abandonedAt = DateTimeOffset.UtcNow;
            if (framework == "hangfire")
            {
                abandonedAt -= TimeSpan.FromDays(2);
            }
            else
            {
                S1Timing.Use(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10));
            }

            for (var i = 0; i < workers; i++)
            {
                nodes.Add(await environment.NodeAsync(framework, new RecordingChannels(log, $"worker-{i}"), tuned, $"worker-{i}").ConfigureAwait(false));
            }

            await Parallel.ForEachAsync(Enumerable.Range(0, journeys), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
                await nodes[i % nodes.Count].AbandonAsync(Checkouts.New("tp", i, abandonedAt), token).ConfigureAwait(false)).ConfigureAwait(false);

            var load = MachineLoad.Start();
            var wall = System.Diagnostics.Stopwatch.StartNew();
            if (framework == "wolverine")
            {
                await MakeWolverineTimeoutsDueAsync(environment).ConfigureAwait(false);
            }

            foreach (var node in nodes)
            {
                await node.StartProcessingAsync().ConfigureAwait(false);
            }

            var finished = await WaitAsync(log, expected).ConfigureAwait(false);
            return Summarize(framework, workers, log, expected, wall.Elapsed, finished, load);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync().ConfigureAwait(false);
            }

            S1Timing.Reset();
        }
    }

    /// <summary>Time passes for Wolverine: its scheduled timeouts are due now (it reads the real clock, which cannot jump).</summary>
    private static async Task MakeWolverineTimeoutsDueAsync(RunEnvironment environment)
    {
        if (environment.Store.IsPostgreSql)
        {
            await using var due = environment.DataSource.CreateCommand($"UPDATE {environment.Store.Location}.wolverine_incoming_envelopes SET execution_time = now() - interval '1 second' WHERE status = 'Scheduled'");
            await due.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        else
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(environment.Store.Location, "wolverine.db")}");
            await connection.OpenAsync().ConfigureAwait(false);
            await using var due = connection.CreateCommand();
            due.CommandText = "UPDATE wolverine_incoming_envelopes SET execution_time = @now WHERE status = 'Scheduled'";
            due.Parameters.AddWithValue("@now", DateTimeOffset.UtcNow.AddSeconds(-1));
            await due.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    private static async Task<Result> LibraryAsync(RunEnvironment environment, MemorySendLog log, int workers, int journeys)
    {
        var expected = 3L * journeys;
        var clock = new ShiftedClock();
        var stores = new List<IJourneyStore>();
        try
        {
            if (environment.Store.IsPostgreSql)
            {
                for (var i = 0; i < workers; i++)
                {
                    var postgres = new PostgreSqlJourneyStore(new PostgreSqlJourneyStoreOptions { ConnectionString = TestPostgres.ConnectionString, Schema = environment.Store.Location }, clock);
                    await postgres.MigrateAsync().ConfigureAwait(false);
                    stores.Add(postgres);
                }
            }
            else
            {
                // One store per file (it holds the file's lock): two workers are two engines sharing it.
                var sqlite = new SqliteJourneyStore(Path.Combine(environment.Store.Location, "journeys.db"), clock);
                await sqlite.MigrateAsync().ConfigureAwait(false);
                stores.Add(sqlite);
            }

            var journey = LibraryCheckoutRecovery.Create();
            var engines = Enumerable.Range(0, workers)
                .Select(i => new JourneyEngine([journey], stores[i % stores.Count], new JourneyHostServices { Channels = new LibraryChannels(new RecordingChannels(log, $"worker-{i}")) }, clock))
                .ToArray();
            await Parallel.ForEachAsync(Enumerable.Range(0, journeys), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
                await engines[i % engines.Length].PublishAsync(Checkouts.New("tp", i, clock.GetUtcNow()), token).ConfigureAwait(false)).ConfigureAwait(false);

            clock.Shift(Duration.FromDays(2));
            var load = MachineLoad.Start();
            var wall = System.Diagnostics.Stopwatch.StartNew();
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await Task.WhenAll(engines.Select(engine => Task.Run(async () =>
            {
                while (log.Count < expected && !stop.IsCancellationRequested)
                {
                    if (await engine.RunDueAsync().ConfigureAwait(false) == 0)
                    {
                        await Task.Delay(1).ConfigureAwait(false);
                    }
                }
            }))).ConfigureAwait(false);
            return Summarize("library", workers, log, expected, wall.Elapsed, log.Count >= expected, load);
        }
        finally
        {
            foreach (var opened in stores)
            {
                await ((IAsyncDisposable)opened).DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<bool> WaitAsync(MemorySendLog log, long expected)
    {
        try
        {
            await log.WhenCountAsync(expected).WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static Result Summarize(string framework, int workers, MemorySendLog log, long expected, TimeSpan wall, bool finished, MachineLoad load)
    {
        var loadLine = load.Describe();
        var records = log.ReadAllAsync().Result;
        var distinct = records.Select(r => (r.OrderId, r.Step)).Distinct().Count();
        var firstToLast = records.Count > 1 ? records.Max(r => r.SentAt) - records.Min(r => r.SentAt) : TimeSpan.Zero;
        var correct = finished && records.Count == expected && distinct == expected;
        var check = correct ? "check: every step sent once" : $"check FAILED: {records.Count} sends of {distinct} distinct steps, expected {expected}{(finished ? "" : " (timed out after 5 min)")}";
        return new Result(framework, workers, records.Count, firstToLast, wall, correct, check, loadLine);
    }
}
