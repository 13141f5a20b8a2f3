using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;
using Quartz;
using Recovery.Journeys.Benchmarks.Shared;
using Recovery.Journeys.Ports;
using Recovery.Journeys.PostgreSql;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Sqlite;
using Recovery.Journeys.Storage;
using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.Benchmarks.Durable;

/// <summary>
/// The durable run of docs/performance.md: steps per second with every transition committed, on SQLite and on
/// PostgreSQL with one and two workers, against Quartz.NET's ADO job store on the same PostgreSQL.
/// </summary>
/// <remarks>
/// <para>
/// <b>Engine.</b> N checkouts start the S1 journey (three steps at +5 min, +1 h and +24 h) on the real clock; then the
/// clock jumps two days ahead, so every step is due, and the timer starts. Each worker (a <see cref="JourneyEngine"/>
/// with the default options: 16 concurrent steps) calls <see cref="JourneyEngine.RunDueAsync"/> until every step ran:
/// claim, render, send to a no-op channel, commit the new state, the next wake-up and the step's timeline entry in
/// one transaction. A journey's next step is due as soon as its previous one commits, so each journey runs its three
/// steps one after another. PostgreSQL: each worker has its own store (its own connection pool), as two app
/// instances would. SQLite: one store per file (it holds the file's lock), so two workers are two engines sharing it.
/// </para>
/// <para>
/// <b>Quartz.NET.</b> The same 3N steps as 3N one-shot triggers (3 per checkout job), stored through the ADO job store
/// (<c>JobStoreTX</c>, PostgreSQL delegate) while the scheduler is in standby; the timer starts with the scheduler(s),
/// and stops when every job ran. The job counts and returns (a no-op send; it writes nothing, where a journey step
/// also writes its timeline entry). Each node has 16 threads and acquires up to 16 triggers at a time
/// (<c>quartz.scheduler.batchTriggerAcquisitionMaxCount</c>, default 1): tuned in Quartz's favour. One node runs
/// unclustered (no database locks); two nodes are a cluster (<c>UseClustering</c>), as a shop with two app
/// instances would run it.
/// </para>
/// </remarks>
public static class DurableRun
{
    /// <summary>
    /// <c>durable [sqlite] [postgresql] [quartz] [--journeys N] [--runs R] [--workers 1,2,4] [--concurrency 16] [--no-floor] [--pairs K]</c>;
    /// every target by default; <c>--concurrency</c> is the engine's <c>MaxConcurrentSteps</c> (its default, 16). Each engine
    /// run measures its floor (<see cref="DurableFloors"/>) unless <c>--no-floor</c>. <c>--pairs K</c>: PostgreSQL runs K
    /// interleaved engine/pgbench pairs per worker count instead (<see cref="InterleavedRun"/>; <c>--journeys</c>: checkouts
    /// per pair, 2,000 by default).
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        // 6,000 checkouts (18,000 steps) for the engines: runs of 6,000 steps lasted a few seconds, and their ratios to
        // the floor swung by 25 points from one run to the next. Quartz, at about 200 steps/s, keeps 2,000 (6,000 steps).
        var journeysOption = OptionText(args, "--journeys");
        var concurrency = Option(args, "--concurrency", new JourneyEngineOptions().MaxConcurrentSteps);
        var runs = Option(args, "--runs", 3);
        var workerCounts = (OptionText(args, "--workers") ?? "1,2,4").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray();
        var targets = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (targets.Count == 0)
        {
            targets = ["sqlite", "postgresql", "quartz"];
        }

        var floors = !args.Contains("--no-floor");
        var failed = false;
        Console.WriteLine(OptionText(args, "--pairs") is { } pairCount && targets.SequenceEqual(["postgresql"])
            ? $"durable: PostgreSQL against pgbench, {pairCount} interleaved pairs of {journeysOption ?? "2,000"} checkouts x 3 steps per worker count; {MachineLoad.LoadAverage():F2} load average before"
            : $"durable: {journeysOption ?? "6,000 (Quartz: 2,000)"} checkouts x 3 steps, {runs} run(s) each; {MachineLoad.LoadAverage():F2} load average before");
        foreach (var target in targets)
        {
            var journeys = journeysOption is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : target == "quartz" ? 2000 : 6000;
            if (target == "postgresql" && OptionText(args, "--pairs") is { } pairsText)
            {
                failed |= !await PairsAsync(workerCounts, int.Parse(pairsText, CultureInfo.InvariantCulture), journeysOption is null ? 2000 : journeys, concurrency).ConfigureAwait(false);
                continue;
            }

            foreach (var workers in workerCounts)
            {
                // A short run first, not counted: the runtime compiles the code and the pools open their connections.
                _ = target == "quartz" ? await QuartzAsync(workers, 100).ConfigureAwait(false) : await EngineAsync(target, workers, 100, concurrency).ConfigureAwait(false);
                var rates = new List<double>();
                var floorRates = new List<double>();
                var ratios = new List<double>();
                for (var run = 0; run < runs; run++)
                {
                    // The floor runs before the engine in odd runs and after it in even ones, so that neither always
                    // inherits the other's leftovers (checkpoints, autovacuum).
                    var floor = floors && target != "quartz" ? (run % 2 == 0 ? FloorOrder.Before : FloorOrder.After) : FloorOrder.None;
                    var result = target switch
                    {
                        "sqlite" or "postgresql" => await EngineAsync(target, workers, journeys, concurrency, floor).ConfigureAwait(false),
                        "quartz" => await QuartzAsync(workers, journeys).ConfigureAwait(false),
                        _ => throw new ArgumentException($"Unknown target '{target}': sqlite, postgresql or quartz."),
                    };
                    rates.Add(result.StepsPerSecond);
                    failed |= !result.Correct;
                    Console.WriteLine($"  {target}, {workers} worker(s), run {run + 1}: {result.Steps:N0} steps in {result.Elapsed.TotalSeconds:F2} s = {result.StepsPerSecond:N0} steps/s; {result.Check}; {result.Load}");
                    if (result.Floor is { } f)
                    {
                        failed |= !f.Correct;
                        if (f.Correct)
                        {
                            floorRates.Add(f.PerSecond);
                            ratios.Add(result.StepsPerSecond / f.PerSecond);
                        }

                        Console.WriteLine(string.Create(
                            CultureInfo.InvariantCulture,
                            $"    floor ({floor.ToString().ToLowerInvariant()} the engine): {f.PerSecond:N0} tps; {f.Check}, client {f.ClientCores:F2} cores; {f.Load}; engine/floor {result.StepsPerSecond / f.PerSecond:P0}"));
                    }
                }

                Console.WriteLine(floorRates.Count == 0
                    ? $"{target}, {workers} worker(s): median {Quantiles.Median(rates):N0} steps/s"
                    : string.Create(CultureInfo.InvariantCulture, $"{target}, {workers} worker(s): median {Quantiles.Median(rates):N0} steps/s; floor median {Quantiles.Median(floorRates):N0} tps; engine/floor median {Quantiles.Median(ratios):P0} (per run: {string.Join(", ", ratios.Select(r => r.ToString("P0", CultureInfo.InvariantCulture)))})"));
            }
        }

        return failed ? 1 : 0;
    }

    /// <summary><c>--pairs K</c>: PostgreSQL against pgbench in K interleaved pairs per worker count (<see cref="InterleavedRun"/>).</summary>
    private static async Task<bool> PairsAsync(int[] workerCounts, int pairs, int journeys, int concurrency)
    {
        var correct = true;
        foreach (var workers in workerCounts)
        {
            // A short run first, not counted: the runtime compiles the code and the pools open their connections.
            _ = await InterleavedRun.RunAsync(workers, 2, 100, concurrency).ConfigureAwait(false);
            var result = await InterleavedRun.RunAsync(workers, pairs, journeys, concurrency, (slice, pair) => Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  postgresql, {workers} worker(s), pair {slice + 1} ({(pair.EngineFirst ? "engine first" : "pgbench first")}): engine {pair.EngineStepsPerSecond:N0} steps/s, pgbench {pair.Floor.PerSecond:N0} tps, engine/pgbench {pair.Ratio:P0}; engine: {pair.EngineLoad}; pgbench: {pair.Floor.Check}, client {pair.Floor.ClientCores:F2} cores; {pair.Floor.Load}"))).ConfigureAwait(false);
            correct &= result.Correct;
            Console.WriteLine(InterleavedRun.Summary(workers, result));
        }

        return correct;
    }

    public sealed record RunResult(long Steps, TimeSpan Elapsed, bool Correct, string Check, string Load)
    {
        public double StepsPerSecond => Steps / Elapsed.TotalSeconds;

        /// <summary>The floor measured beside the engine (<see cref="FloorOrder"/>), if one was asked for.</summary>
        public FloorResult? Floor { get; init; }
    }

    /// <summary>Whether the engine run measures its floor too, and when: on a copy of its rows made before the timer starts.</summary>
    public enum FloorOrder
    {
        None,
        Before,
        After,
    }

    /// <summary>The engine on a durable store: publishes, jumps the clock, and times the workers until every step ran.</summary>
    public static async Task<RunResult> EngineAsync(string store, int workers, int journeys, int maxConcurrentSteps = 16, FloorOrder floor = FloorOrder.None)
    {
        var clock = new ShiftedClock();
        var journey = CheckoutJourney.Create();
        var channels = new NoOpChannels();
        var stores = new List<IJourneyStore>();
        var schema = $"rj_bench_{Guid.NewGuid():N}";
        var directory = Path.Combine(Path.GetTempPath(), $"rj-bench-{Guid.NewGuid():N}");
        try
        {
            if (store == "sqlite")
            {
                Directory.CreateDirectory(directory);
                var sqlite = new SqliteJourneyStore(Path.Combine(directory, "journeys.db"), clock);
                await sqlite.MigrateAsync().ConfigureAwait(false);
                stores.Add(sqlite);
            }
            else
            {
                for (var i = 0; i < workers; i++)
                {
                    var postgres = new PostgreSqlJourneyStore(new PostgreSqlJourneyStoreOptions { ConnectionString = TestPostgres.ConnectionString, Schema = schema }, clock);
                    await postgres.MigrateAsync().ConfigureAwait(false);
                    stores.Add(postgres);
                }
            }

            var engines = Enumerable.Range(0, workers)
                .Select(i => new JourneyEngine([journey], stores[i % stores.Count], new JourneyHostServices { Channels = channels }, clock, new JourneyEngineOptions { MaxConcurrentSteps = maxConcurrentSteps }))
                .ToArray();
            var customers = CheckoutJourney.Customers();
            await Parallel.ForEachAsync(Enumerable.Range(0, journeys), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
                await engines[i % engines.Length].PublishAsync(CheckoutJourney.NewCheckout(i, customers), token).ConfigureAwait(false)).ConfigureAwait(false);

            Func<Task<FloorResult>>? measureFloor = null;
            if (floor != FloorOrder.None)
            {
                // The floor's clock: two days on, as the engine's will be (every step due).
                var due = Instant.FromDateTimeOffset(clock.GetUtcNow()) + Duration.FromDays(2);
                measureFloor = await DurableFloors.PrepareAsync(store, schema, Path.Combine(directory, "journeys.db"), due, workers, maxConcurrentSteps, journeys).ConfigureAwait(false);
            }

            var floorResult = floor == FloorOrder.Before ? await measureFloor!().ConfigureAwait(false) : null;

            // Nothing is due yet: each worker's claimants claim nothing, but open their connections (and their TLS
            // sessions) now, as pgbench's clients connect before its clock starts (its tps leaves the set-up out). After
            // a floor run first, whose clients and four warm pools would exceed max_connections = 100 together.
            foreach (var engine in engines)
            {
                await engine.RunDueAsync().ConfigureAwait(false);
            }

            clock.Shift(Duration.FromDays(2));
            var expected = 3L * journeys;
            if (store == "postgresql")
            {
                await PgbenchFloor.CheckpointAsync().ConfigureAwait(false);
            }

            var load = MachineLoad.Start();
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(engines.Select(engine => Task.Run(async () =>
            {
                while (channels.Sent < expected)
                {
                    if (await engine.RunDueAsync().ConfigureAwait(false) == 0)
                    {
                        await Task.Delay(1).ConfigureAwait(false);
                    }
                }
            }))).ConfigureAwait(false);
            var elapsed = watch.Elapsed;
            var loadLine = load.Describe();

            // Every step reached the channel once and is recorded once as sent.
            var recorded = 0;
            await foreach (var record in stores[0].ReadRecordsAsync(new JourneyRecordQuery(journey.Name), CancellationToken.None).ConfigureAwait(false))
            {
                recorded += record.Kind == JourneyRecordKind.Sent ? 1 : 0;
            }

            var correct = channels.Sent == expected && recorded == expected;
            if (floor == FloorOrder.After)
            {
                // The engine's connections closed first: pgbench's 64 clients and four full pools exceed the default
                // max_connections = 100.
                foreach (var opened in stores)
                {
                    await ((IAsyncDisposable)opened).DisposeAsync().ConfigureAwait(false);
                }

                stores.Clear();
                floorResult = await measureFloor!().ConfigureAwait(false);
            }

            return new RunResult(channels.Sent, elapsed, correct, correct ? "check: every step sent and recorded once" : $"check FAILED: {channels.Sent} sends, {recorded} recorded, expected {expected}", loadLine)
            {
                Floor = floorResult,
            };
        }
        finally
        {
            foreach (var opened in stores)
            {
                await ((IAsyncDisposable)opened).DisposeAsync().ConfigureAwait(false);
            }

            if (store == "sqlite")
            {
                Directory.Delete(directory, recursive: true);
            }
            else
            {
                await DropSchemaAsync(schema).ConfigureAwait(false);
                await DropSchemaAsync(DurableFloors.FloorSchema(schema)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Quartz's ADO job store on the same PostgreSQL: 3N one-shot triggers, fired into a no-op job.</summary>
    public static async Task<RunResult> QuartzAsync(int nodes, int journeys)
    {
        var schema = $"rj_bench_quartz_{Guid.NewGuid():N}";
        var schedulers = new List<IScheduler>();
        var providers = new List<ServiceProvider>();
        try
        {
            await using (var connection = new NpgsqlConnection(TestPostgres.ConnectionString))
            {
                await connection.OpenAsync().ConfigureAwait(false);
                await using (var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection))
                {
                    await create.ExecuteNonQueryAsync().ConfigureAwait(false);
                }

                await QuartzSchemaScript.CreateTablesAsync(connection, $"{schema}.qrtz_").ConfigureAwait(false);
            }

            for (var i = 0; i < nodes; i++)
            {
                var node = QuartzNode.Create($"bench-{schema}", $"node-{i}", quartz => quartz.UsePersistentStore(persistent =>
                {
                    persistent.UsePostgres(TestPostgres.ConnectionString);
                    persistent.UseSystemTextJsonSerializer();
                    if (nodes > 1)
                    {
                        persistent.UseClustering();
                    }

                    persistent.ConfigureStore(options => options.TablePrefix = $"{schema}.qrtz_");
                }));
                providers.Add(node);
                schedulers.Add(await node.GetRequiredService<ISchedulerFactory>().GetScheduler().ConfigureAwait(false));
            }

            var now = DateTimeOffset.UtcNow;
            await Parallel.ForEachAsync(Enumerable.Range(0, journeys), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
            {
                var job = JobBuilder.Create<NoOpSendJob>().WithIdentity($"order-{i}", "checkout-recovery").Build();
                ITrigger[] triggers =
                [
                    .. Enumerable.Range(0, 3).Select(step => TriggerBuilder.Create()
                        .WithIdentity($"order-{i}-step-{step}", "checkout-recovery")
                        .ForJob(job)
                        .StartAt(now)
                        .Build()),
                ];
                await schedulers[0].ScheduleJob(job, triggers, new ScheduleJobOptions(), token).ConfigureAwait(false);
            }).ConfigureAwait(false);

            var expected = 3L * journeys;
            NoOpSendJob.Reset(expected);
            var load = MachineLoad.Start();
            var watch = Stopwatch.StartNew();
            foreach (var scheduler in schedulers)
            {
                await scheduler.Start().ConfigureAwait(false);
            }

            await NoOpSendJob.AllRan.WaitAsync(TimeSpan.FromMinutes(10)).ConfigureAwait(false);
            var elapsed = watch.Elapsed;
            var loadLine = load.Describe();
            var correct = NoOpSendJob.Ran == expected;
            return new RunResult(NoOpSendJob.Ran, elapsed, correct, correct ? "check: every job ran once" : $"check FAILED: {NoOpSendJob.Ran} jobs ran, expected {expected}", loadLine);
        }
        finally
        {
            foreach (var scheduler in schedulers)
            {
                await scheduler.Shutdown(waitForJobsToComplete: true).ConfigureAwait(false);
            }

            foreach (var provider in providers)
            {
                await provider.DisposeAsync().ConfigureAwait(false);
            }

            await DropSchemaAsync(schema).ConfigureAwait(false);
        }
    }

    internal static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    internal static string? OptionText(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static async Task DropSchemaAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}

/// <summary>The Quartz job of the durable run and the scheduling benchmark: counts the send and returns.</summary>
public sealed class NoOpSendJob : IJob
{
    private static long _ran;
    private static long _expected;
    private static TaskCompletionSource _allRan = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static long Ran => Interlocked.Read(ref _ran);

    public static Task AllRan => Volatile.Read(ref _allRan).Task;

    public static void Reset(long expected)
    {
        Volatile.Write(ref _allRan, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Interlocked.Exchange(ref _expected, expected);
        Interlocked.Exchange(ref _ran, 0);
    }

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _ran) == Interlocked.Read(ref _expected))
        {
            Volatile.Read(ref _allRan).TrySetResult();
        }

        return ValueTask.CompletedTask;
    }
}
