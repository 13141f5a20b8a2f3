using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Recovery.Journeys.Benchmarks.Durable;
using Recovery.Journeys.Benchmarks.Shared;

namespace Recovery.Journeys.Benchmarks.Scheduling;

/// <summary>
/// The scheduling benchmark's two sides (<see cref="SchedulingBenchmarkBase"/>) in many short pairs, interleaved in one
/// process: <c>scheduling [--pairs K] [--checkouts 1000,10000,100000] [--warmup W] [--iterations M]</c>. Each pair runs
/// the engine's operation and Quartz's, W warm-ups then M timed operations a side, one side right after the other (the
/// engine first in even pairs, Quartz first in odd ones); a pair's ratio is Quartz's median operation over the engine's.
/// The figure of a size is the median of its K pairs' ratios, with their quartiles and range, so that a slow minute of
/// the machine moves one pair, not the verdict.
/// </summary>
/// <remarks>
/// <para>
/// Why: BenchmarkDotNet runs the engine's case and Quartz's in processes of their own, a minute or more apart, and on
/// a 2-core virtual machine whose speed drifts by a third from one minute to the next one run's ratio swung from 4.0
/// to 6.2x with the same code. Here the two sides of a pair are seconds apart.
/// </para>
/// <para>
/// The operations are the benchmark's own methods (<c>SetUpEngine</c>/<c>Engine</c>, <c>SetUpQuartz</c>/<c>Quartz</c>/
/// <c>TearDownQuartz</c>), run as BenchmarkDotNet runs an iteration: the setup, a forced full collection (collect, wait
/// for finalizers, collect), then the timed operation; Quartz's teardown after it, untimed. Each side of a pair gets a
/// new benchmark object, dropped when its side ends, so that one side's engine or scheduler is collected before the
/// other side's first operation and never weighs on its collections. The process runs on the project's settings,
/// server GC, not concurrent, as BenchmarkDotNet's job does.
/// </para>
/// <para>
/// The runtime's tier-up delay (see <c>BenchmarkEntry</c>): the run sets <c>DOTNET_TC_CallCountingDelayMs=0</c>, as
/// BenchmarkDotNet's job does, by starting itself again with it when it is not set (the runtime reads it at start).
/// Without it, in this loop too, both sides stayed slow for the whole run (Quartz about 130 ms an operation at 1,000
/// checkouts against 45 ms with it: each new scheduler's container compiles code of its own, which most likely keeps
/// resetting the delay). Even at zero the runtime takes about a hundred operations a side to optimise everything
/// (methods go through an instrumented tier first): the run warms both sides up, untimed, with 4 pairs of 25
/// operations at 1,000 checkouts before the first size, and W operations before each side's timed ones. Each side
/// reports the methods the runtime compiled during its timed operations: none for the engine, and about two an
/// operation for Quartz (its scheduler's, made anew for each operation), mean the code timed was optimised.
/// </para>
/// </remarks>
public static class SchedulingPairs
{
    /// <summary>One side's timed operations in one pair.</summary>
    /// <param name="Milliseconds">Each timed operation's time.</param>
    /// <param name="Reminders">The reminders each timed operation handed out (Quartz: as its operation returned).</param>
    /// <param name="Collections">Collections during the timed operations, per operation (gen0, gen1, gen2; the forced ones not counted).</param>
    /// <param name="PauseMilliseconds">The GC's pauses during the timed operations, per operation.</param>
    /// <param name="Compiled">Methods the runtime compiled during the timed operations (tier-up included).</param>
    public sealed record Side(IReadOnlyList<double> Milliseconds, IReadOnlyList<long> Reminders, (double Gen0, double Gen1, double Gen2) Collections, double PauseMilliseconds, long Compiled)
    {
        public double Median => Quantiles.Of(Milliseconds, 0.5);
    }

    /// <summary>One pair: both sides of the same size, one right after the other.</summary>
    public sealed record Pair(bool EngineFirst, Side Engine, Side Quartz, string Load)
    {
        /// <summary>Quartz's median operation over the engine's.</summary>
        public double Ratio => Quartz.Median / Engine.Median;
    }

    /// <summary>The pairs of one size, and whether every operation of both sides handed out exactly the reminders expected.</summary>
    public sealed record Result(int Checkouts, int Warmup, int Iterations, IReadOnlyList<Pair> Pairs, bool Correct, string Check);

    public static async Task<int> RunAsync(string[] args)
    {
        var pairs = DurableRun.Option(args, "--pairs", 6);
        var sizes = (DurableRun.OptionText(args, "--checkouts") ?? "1000,10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var warmupText = DurableRun.OptionText(args, "--warmup");
        var iterationsText = DurableRun.OptionText(args, "--iterations");
        if (Environment.GetEnvironmentVariable(TierUpDelay) is not { } delay)
        {
            return await RestartAsync(args).ConfigureAwait(false);
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"scheduling: engine against Quartz RAMJobStore, {pairs} interleaved pairs per size ({string.Join(", ", sizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))} checkouts); {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {GCSettings.LatencyMode}; {TierUpDelay}={delay}; {MachineLoad.LoadAverage():F2} load average before"));

        // A warm-up first, not counted: the runtime compiles both sides' code and optimises it.
        var warm = await MeasureAsync(Math.Min(1000, sizes.Min()), pairs: 4, warmup: 0, iterations: 25).ConfigureAwait(false);
        Console.WriteLine($"warm-up, untimed: 4 pairs of 25 operations a side at {warm.Checkouts:N0} checkouts; methods compiled in its last pair: engine {warm.Pairs[^1].Engine.Compiled}, Quartz {warm.Pairs[^1].Quartz.Compiled}");
        var correct = true;
        foreach (var checkouts in sizes)
        {
            var warmup = warmupText is null ? DefaultWarmup(checkouts) : int.Parse(warmupText, CultureInfo.InvariantCulture);
            var iterations = iterationsText is null ? DefaultIterations(checkouts) : int.Parse(iterationsText, CultureInfo.InvariantCulture);
            var result = await MeasureAsync(checkouts, pairs, warmup, iterations, (index, pair) => Console.WriteLine(Line(checkouts, index, pair))).ConfigureAwait(false);
            correct &= result.Correct;
            Console.WriteLine(Summary(result));
        }

        return correct ? 0 : 1;
    }

    /// <summary>
    /// Runs <paramref name="pairs"/> pairs of the benchmark's two sides at <paramref name="checkouts"/> checkouts:
    /// <paramref name="warmup"/> untimed and <paramref name="iterations"/> timed operations a side in each pair.
    /// </summary>
    public static async Task<Result> MeasureAsync(int checkouts, int pairs, int warmup, int iterations, Action<int, Pair>? report = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var errors = new List<string>();
        var results = new List<Pair>();
        for (var index = 0; index < pairs; index++)
        {
            var engineFirst = index % 2 == 0;
            var load = MachineLoad.Start();
            Side? engine = null;
            Side? quartz = null;
            for (var turn = 0; turn < 2; turn++)
            {
                if ((turn == 0) == engineFirst)
                {
                    engine = await EngineSideAsync(checkouts, warmup, iterations, errors).ConfigureAwait(false);
                }
                else
                {
                    quartz = await QuartzSideAsync(checkouts, warmup, iterations, errors).ConfigureAwait(false);
                }
            }

            var pair = new Pair(engineFirst, engine!, quartz!, load.Describe());
            results.Add(pair);
            report?.Invoke(index, pair);
        }

        var expected = new SchedulingBenchmarks { Checkouts = checkouts }.Fired;
        var check = errors.Count == 0
            ? $"check: every operation of both sides handed out {expected:N0} reminders, no more"
            : $"check FAILED: {string.Join("; ", errors.Distinct().Take(5))}";
        return new Result(checkouts, warmup, iterations, results, errors.Count == 0, check);
    }

    /// <summary>A pair's line: both medians, the ratio, the collections, the compilations and the machine's load.</summary>
    internal static string Line(int checkouts, int index, Pair pair) => string.Create(
        CultureInfo.InvariantCulture,
        $"  {checkouts:N0} checkouts, pair {index + 1} ({(pair.EngineFirst ? "engine first" : "Quartz first")}): engine {pair.Engine.Median:F2} ms, Quartz {pair.Quartz.Median:F2} ms, Quartz/engine {pair.Ratio:F2}x; per operation: GCs (gen0/1/2) engine {Describe(pair.Engine.Collections)}, Quartz {Describe(pair.Quartz.Collections)}, GC paused engine {pair.Engine.PauseMilliseconds:F1} ms, Quartz {pair.Quartz.PauseMilliseconds:F1} ms; methods compiled while timed: engine {pair.Engine.Compiled}, Quartz {pair.Quartz.Compiled}; {pair.Load}");

    /// <summary>A size's summary: the median of the pairs' ratios, their quartiles and range, and each side's median of medians.</summary>
    internal static string Summary(Result result)
    {
        var ratios = result.Pairs.Select(p => p.Ratio).ToArray();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"scheduling, {result.Checkouts:N0} checkouts, {ratios.Length} interleaved pairs ({result.Warmup} warm-up and {result.Iterations} timed operations a side each): Quartz/engine {Quantiles.Spread(ratios, r => r.ToString("F2", CultureInfo.InvariantCulture) + "x")}; engine median {Quantiles.Of(result.Pairs.Select(p => p.Engine.Median).ToArray(), 0.5):F2} ms, Quartz median {Quantiles.Of(result.Pairs.Select(p => p.Quartz.Median).ToArray(), 0.5):F2} ms; {result.Check}");
    }

    private const string TierUpDelay = "DOTNET_TC_CallCountingDelayMs";

    /// <summary>Runs this run again in a process of its own with the runtime's tier-up delay at zero, its output this one's.</summary>
    private static async Task<int> RestartAsync(string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SchedulingPairs).Assembly.Location);
        }

        start.ArgumentList.Add("scheduling");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[TierUpDelay] = "0";
        using var child = Process.Start(start)!;
        await child.WaitForExitAsync().ConfigureAwait(false);
        return child.ExitCode;
    }

    // About 5 to 6 minutes for the three sizes with 6 pairs on this project's 2-core machine: an operation takes about
    // 8 / 50 ms (engine / Quartz) at 1,000 checkouts, 0.1 / 0.5 s at 10,000 and 1 / 5 s at 100,000.
    private static int DefaultWarmup(int checkouts) => checkouts <= 1_000 ? 10 : checkouts <= 10_000 ? 5 : 1;

    private static int DefaultIterations(int checkouts) => checkouts <= 1_000 ? 30 : checkouts <= 10_000 ? 15 : 3;

    private static Task<Side> EngineSideAsync(int checkouts, int warmup, int iterations, List<string> errors)
    {
        var benchmarks = new SchedulingBenchmarks { Checkouts = checkouts };
        return SideAsync("engine", benchmarks.Fired, warmup, iterations, benchmarks.SetUpEngine, benchmarks.Engine, tearDown: null, errors);
    }

    private static Task<Side> QuartzSideAsync(int checkouts, int warmup, int iterations, List<string> errors)
    {
        var benchmarks = new SchedulingBenchmarks { Checkouts = checkouts };
        return SideAsync("Quartz", benchmarks.Fired, warmup, iterations, benchmarks.SetUpQuartz, benchmarks.Quartz, () =>
        {
            // Every job has run when the operation returns; the shutdown waits for any still running, so a job run twice shows here.
            benchmarks.TearDownQuartz();
            return NoOpSendJob.Ran;
        }, errors);
    }

    /// <summary>
    /// <paramref name="warmup"/> then <paramref name="iterations"/> operations, each as BenchmarkDotNet runs an iteration:
    /// the setup, a forced full collection, the timed operation, the teardown.
    /// </summary>
    private static async Task<Side> SideAsync(
        string name, long expected, int warmup, int iterations, Action setUp, Func<Task<long>> operation, Func<long>? tearDown, List<string> errors)
    {
        var times = new List<double>();
        var reminders = new List<long>();
        var (gen0, gen1, gen2) = (0, 0, 0);
        var paused = TimeSpan.Zero;
        var compiled = 0L;
        for (var i = 0; i < warmup + iterations; i++)
        {
            setUp();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var (before0, before1, before2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var pausedBefore = GC.GetTotalPauseDuration();
            var compiledBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
            var start = Stopwatch.GetTimestamp();
            var handedOut = await operation().ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(start);
            if (i >= warmup)
            {
                times.Add(elapsed.TotalMilliseconds);
                reminders.Add(handedOut);
                (gen0, gen1, gen2) = (gen0 + GC.CollectionCount(0) - before0, gen1 + GC.CollectionCount(1) - before1, gen2 + GC.CollectionCount(2) - before2);
                paused += GC.GetTotalPauseDuration() - pausedBefore;
                compiled += System.Runtime.JitInfo.GetCompiledMethodCount() - compiledBefore;
            }

            var after = tearDown?.Invoke() ?? handedOut;
            if (handedOut != expected || after != expected)
            {
                errors.Add($"{name} handed out {handedOut:N0} reminders ({after:N0} after its teardown), expected {expected:N0}");
            }
        }

        return new Side(times, reminders, (gen0 / (double)iterations, gen1 / (double)iterations, gen2 / (double)iterations), paused.TotalMilliseconds / iterations, compiled);
    }

    private static string Describe((double Gen0, double Gen1, double Gen2) collections) =>
        string.Create(CultureInfo.InvariantCulture, $"{collections.Gen0:0.#}/{collections.Gen1:0.#}/{collections.Gen2:0.#}");
}
