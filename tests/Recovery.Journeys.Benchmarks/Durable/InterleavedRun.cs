using System.Diagnostics;
using System.Globalization;
using NodaTime;
using Npgsql;
using Recovery.Journeys.Benchmarks.Shared;
using Recovery.Journeys.Definition;
using Recovery.Journeys.PostgreSql;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.Benchmarks.Durable;

/// <summary>
/// The PostgreSQL engine against pgbench in many short pairs, interleaved on the same tables: <c>durable postgresql
/// --pairs K</c>. Each pair is one slice of N checkouts run by the engine and, on the copy, by pgbench, one right after
/// the other (the engine first in even pairs, pgbench first in odd ones); the figure is the median of the K pairs'
/// ratios, with their spread, so that one slow stretch of either side moves one pair, not the verdict.
/// </summary>
/// <remarks>
/// <para>
/// K slices of N checkouts are published first, slice k four days after slice k − 1 on the run's clock, and the rows
/// copied once for pgbench (<see cref="PgbenchFloor.CopySchemaAsync"/>). Pair k moves the clock two days past slice k's
/// start, which makes slice k's steps due and no later slice's. The engine's journeys then wait out their attribution
/// window (24 h after the last send) before they end, where pgbench's script ends them at the third step: the engines'
/// first, untimed call of each pair, 12 h before the slice's start, ends the earlier slices' journeys, so that the timer
/// counts the slice's steps alone on both sides. Both sides then run the rows of slice k, each on its own
/// copy of the same tables, after a <c>CHECKPOINT</c>: the engine (<c>workers</c> stores and engines, 16 claimants each,
/// their connections opened before the timer) until every step of the slice ran, and pgbench with as many clients as
/// the engines hold claimants, running the store's statements in the store's two round trips
/// (<see cref="PgbenchFloor"/>). Each pgbench client stops a few transactions short of the slice (3N − 2 × clients in
/// all); the engine's time is taken when it has sent that many of the slice's steps, so both sides are timed over the
/// same number of steps. The rows pgbench left due in one slice are due in the next ones, so its claims never run dry.
/// </para>
/// <para>
/// The engine's stores are closed while pgbench runs: four workers' claimants and 64 pgbench clients together would
/// exceed PostgreSQL's default <c>max_connections</c> of 100. Each slice's engines are new ones on new stores, their
/// connections opened by a call with nothing due before the timer starts (the run's first, untimed, warms the code).
/// </para>
/// </remarks>
public static class InterleavedRun
{
    // A slice's steps are due two days after its start, and its journeys end (the attribution window, 24 h after the
    // last step's send at about +2 days) at about +3 days; the next slice starts at +4 days. Each pair's engines first
    // run, untimed, at 12 h before the slice's start, which ends the previous slices' journeys (a transition of the
    // engine's that pgbench's script has no counterpart for: it ends a journey at its third step) outside the timer.
    private static readonly Duration SliceSpacing = Duration.FromDays(4);
    private static readonly Duration DueAfter = Duration.FromDays(2);
    private static readonly Duration UntimedBefore = Duration.FromHours(12);

    /// <summary>One pair: the engine and pgbench on the same slice of rows.</summary>
    public sealed record Pair(double EngineStepsPerSecond, FloorResult Floor, string EngineLoad, bool EngineFirst)
    {
        public double Ratio => EngineStepsPerSecond / Floor.PerSecond;
    }

    /// <summary>The pairs of one worker count, and whether every step of both sides ran and was recorded once.</summary>
    public sealed record Result(IReadOnlyList<Pair> Pairs, bool Correct, string Check);

    /// <summary>Runs <paramref name="pairs"/> pairs of <paramref name="journeys"/> checkouts (3 steps each) with <paramref name="workers"/> workers.</summary>
    public static async Task<Result> RunAsync(int workers, int pairs, int journeys, int maxConcurrentSteps = 16, Action<int, Pair>? report = null)
    {
        var clock = new ShiftedClock();
        var journey = CheckoutJourney.Create();
        var channels = new NoOpChannels();
        var schema = $"rj_bench_{Guid.NewGuid():N}";
        var floorSchema = DurableFloors.FloorSchema(schema);
        var clients = maxConcurrentSteps * workers;
        var results = new List<Pair>();
        try
        {
            // K slices, four days apart on the clock; then back to the first slice's time.
            await using (var publisher = NewStore(schema, clock))
            {
                await publisher.MigrateAsync().ConfigureAwait(false);
                var engine = new JourneyEngine([journey], publisher, new JourneyHostServices { Channels = channels }, clock);
                var customers = CheckoutJourney.Customers();
                for (var slice = 0; slice < pairs; slice++)
                {
                    await Parallel.ForEachAsync(Enumerable.Range(slice * journeys, journeys), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
                        await engine.PublishAsync(CheckoutJourney.NewCheckout(i, customers), token).ConfigureAwait(false)).ConfigureAwait(false);
                    clock.Shift(SliceSpacing);
                }
            }

            clock.Shift(-SliceSpacing * pairs);
            await PgbenchFloor.CopySchemaAsync(schema, floorSchema).ConfigureAwait(false);
            var floorSent = 0L;
            for (var slice = 0; slice < pairs; slice++)
            {
                // Pair k's clock: 12 h before slice k's start for the engines' untimed first call (the earlier slices'
                // journeys end then), then two days past slice k's start, when all of slice k is due and no later slice is.
                var sliceStart = SliceSpacing * slice;
                var engineFirst = slice % 2 == 0;
                var floor = (FloorResult?)null;
                if (!engineFirst)
                {
                    floor = await FloorAsync(clock, sliceStart, floorSchema, clients, workers, journeys, floorSent).ConfigureAwait(false);
                    floorSent += floor.Transactions;
                }

                var steps = floor?.Transactions ?? PerClient(journeys, clients) * (long)clients;
                var (rate, load) = await EngineSliceAsync(clock, sliceStart, schema, journey, channels, workers, maxConcurrentSteps, expected: 3L * journeys * (slice + 1), timedSteps: (3L * journeys * slice) + steps).ConfigureAwait(false);
                if (engineFirst)
                {
                    floor = await FloorAsync(clock, sliceStart, floorSchema, clients, workers, journeys, floorSent).ConfigureAwait(false);
                    floorSent += floor.Transactions;
                }

                var pair = new Pair(rate, floor!, load, engineFirst);
                results.Add(pair);
                report?.Invoke(slice, pair);
                if (!floor!.Correct)
                {
                    return new Result(results, false, floor.Check);
                }
            }

            var recorded = await SentEntriesAsync(schema).ConfigureAwait(false);
            var expected = 3L * journeys * pairs;
            var correct = channels.Sent == expected && recorded == expected;
            return new Result(results, correct, correct ? "check: every step sent and recorded once, and each pgbench transaction recorded its step once" : $"check FAILED: {channels.Sent} sends, {recorded} recorded, expected {expected}");
        }
        finally
        {
            await DropSchemaAsync(schema).ConfigureAwait(false);
            await DropSchemaAsync(floorSchema).ConfigureAwait(false);
        }
    }

    /// <summary>pgbench's transactions per client for a slice of <paramref name="journeys"/> checkouts (<see cref="PgbenchFloor.RunAsync"/>).</summary>
    private static long PerClient(int journeys, int clients) => Math.Max(1, ((3 * journeys) - (2 * clients)) / clients);

    private static async Task<FloorResult> FloorAsync(ShiftedClock clock, Duration sliceStart, string floorSchema, int clients, int workers, int journeys, long sentBefore)
    {
        // The engine's clock for the slice (the run's clock is at the first slice's time between slices).
        var now = Instant.FromDateTimeOffset(clock.GetUtcNow()) + sliceStart + DueAfter;
        return await PgbenchFloor.RunAsync(floorSchema, now, clients, threads: workers, journeys, sentBefore).ConfigureAwait(false);
    }

    /// <summary>New engines on new stores run slice k until all of it ran; the time is taken at <paramref name="timedSteps"/> sends.</summary>
    private static async Task<(double StepsPerSecond, string Load)> EngineSliceAsync(
        ShiftedClock clock, Duration sliceStart, string schema, JourneyDefinition journey, NoOpChannels channels, int workers, int maxConcurrentSteps, long expected, long timedSteps)
    {
        var stores = new List<PostgreSqlJourneyStore>();
        try
        {
            for (var i = 0; i < workers; i++)
            {
                stores.Add(NewStore(schema, clock));
            }

            var engines = stores.Select(store => new JourneyEngine([journey], store, new JourneyHostServices { Channels = channels }, clock, new JourneyEngineOptions { MaxConcurrentSteps = maxConcurrentSteps })).ToArray();

            // The clock 12 h before slice k's start: none of its steps is due; the earlier slices' journeys end, and each
            // worker's claimants open their connections.
            clock.Shift(sliceStart - UntimedBefore);
            foreach (var engine in engines)
            {
                await engine.RunDueAsync().ConfigureAwait(false);
            }

            clock.Shift(UntimedBefore + DueAfter);
            await PgbenchFloor.CheckpointAsync().ConfigureAwait(false);
            var startedWith = channels.Sent;
            var reached = channels.WhenSent(timedSteps);
            var load = MachineLoad.Start();
            var watch = Stopwatch.StartNew();
            var all = Task.WhenAll(engines.Select(engine => Task.Run(async () =>
            {
                while (channels.Sent < expected)
                {
                    if (await engine.RunDueAsync().ConfigureAwait(false) == 0)
                    {
                        await Task.Delay(1).ConfigureAwait(false);
                    }
                }
            })));
            await Task.WhenAny(reached, all).ConfigureAwait(false);
            var elapsed = watch.Elapsed;
            var loadLine = load.Describe();
            await all.ConfigureAwait(false);
            clock.Shift(-(sliceStart + DueAfter));
            return ((timedSteps - startedWith) / elapsed.TotalSeconds, loadLine);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static PostgreSqlJourneyStore NewStore(string schema, TimeProvider clock) =>
        new(new PostgreSqlJourneyStoreOptions { ConnectionString = TestPostgres.ConnectionString, Schema = schema }, clock);

    private static async Task<long> SentEntriesAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {schema}.journey_records WHERE kind = {(int)JourneyRecordKind.Sent}", connection);
        return (long)(await count.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    private static async Task DropSchemaAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>A summary line: the median of the pairs' ratios, their quartiles and extremes, and each side's median rate.</summary>
    internal static string Summary(int workers, Result result)
    {
        var ratios = result.Pairs.Select(p => p.Ratio).ToArray();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"postgresql, {workers} worker(s), {ratios.Length} interleaved pairs: engine/pgbench {Quantiles.Spread(ratios, r => r.ToString("P0", CultureInfo.InvariantCulture))}; engine median {Quantiles.Of(result.Pairs.Select(p => p.EngineStepsPerSecond).ToArray(), 0.5):N0} steps/s, pgbench median {Quantiles.Of(result.Pairs.Select(p => p.Floor.PerSecond).ToArray(), 0.5):N0} tps; {result.Check}");
    }
}
