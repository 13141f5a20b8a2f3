using System.Diagnostics;
using Recovery.Journeys.Benchmarks.Shared;
using Recovery.Journeys.Comparison.Peers;
using Recovery.Journeys.Comparison.Shop;

namespace Recovery.Journeys.Comparison.Runs;

/// <summary>
/// <c>lateness [library] [hangfire] [wolverine] [--rate 50] [--seconds 30] [--runs 3] [--tuned]</c>: how late each
/// first push is sent at a steady due rate, on PostgreSQL.
/// </summary>
/// <remarks>
/// One app instance per framework, processing from the start. The shop publishes <c>--rate</c> checkouts a second for
/// <c>--seconds</c>; each one's first push is due 2 s after its abandonment (the others, 1 h and 24 h, never come due
/// in the run), so pushes fall due at the same steady rate. The channel stamps the real time when it is called; a
/// send's lateness is that stamp minus the checkout's abandonment plus 2 s. The run waits for every push up to 90 s
/// after the last is due. Checkouts of the first 2 s are left out of the percentiles (warm-up), not of the counts.
/// </remarks>
public static class LatenessRun
{
    public static readonly TimeSpan Due = TimeSpan.FromSeconds(2);

    public sealed record Result(string Framework, bool Tuned, int Published, int Sent, int Measured, double P50, double P90, double P99, double Max, int Early, string Load);

    public static async Task<int> RunAsync(string[] args)
    {
        var rate = Args.Int(args, "--rate", 50);
        var seconds = Args.Int(args, "--seconds", 30);
        var runs = Args.Int(args, "--runs", 3);
        var tuned = Args.Flag(args, "--tuned");
        var failed = false;
        Console.WriteLine($"lateness: {rate} due pushes/s for {seconds} s on postgresql, {(tuned ? "tuned" : "defaults")}, {runs} run(s); load average {MachineLoad.LoadAverage():F2} before");
        foreach (var framework in Args.Frameworks(args))
        {
            var results = new List<Result>();
            for (var run = 0; run < runs; run++)
            {
                var r = await MeasureAsync(framework, rate, seconds, tuned).ConfigureAwait(false);
                results.Add(r);
                failed |= r.Sent != r.Published;
                Console.WriteLine($"  {framework}, run {run + 1}: {r.Sent:N0} of {r.Published:N0} sent; send - due: p50 {r.P50:F1} ms, p90 {r.P90:F1} ms, p99 {r.P99:F1} ms, max {r.Max:F1} ms; {(r.Early == 0 ? "never early" : $"EARLY {r.Early} times")}; {r.Load}");
            }

            Console.WriteLine($"{framework}, {(tuned ? "tuned" : "defaults")}: median p50 {Args.Median(results.Select(r => r.P50)):F1} ms, p99 {Args.Median(results.Select(r => r.P99)):F1} ms, max {Args.Median(results.Select(r => r.Max)):F1} ms, early {results.Sum(r => r.Early)} in all");
        }

        return failed ? 1 : 0;
    }

    public static async Task<Result> MeasureAsync(string framework, int rate, int seconds, bool tuned)
    {
        S1Timing.Use(Due, TimeSpan.FromHours(1), TimeSpan.FromHours(24));
        try
        {
            await using var environment = await RunEnvironment.CreateAsync(framework, "postgresql").ConfigureAwait(false);
            var log = new MemorySendLog();
            await using var node = await environment.NodeAsync(framework, new RecordingChannels(log, "worker"), tuned, "worker").ConfigureAwait(false);
            await node.StartProcessingAsync().ConfigureAwait(false);
            var total = rate * seconds;
            var abandonedAt = new DateTimeOffset[total];
            var load = MachineLoad.Start();
            var watch = Stopwatch.StartNew();
            var published = 0;

            // The checkouts arrive at the real rate, as a shop's would: each millisecond's tick publishes those now due.
            using (var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(1)))
            {
                while (published < total && await tick.WaitForNextTickAsync().ConfigureAwait(false))
                {
                    var due = Math.Min(total, (int)(watch.Elapsed.TotalSeconds * rate));
                    while (published < due)
                    {
                        abandonedAt[published] = TimeProvider.System.GetUtcNow();
                        await node.AbandonAsync(Checkouts.New("late", published, abandonedAt[published])).ConfigureAwait(false);
                        published++;
                    }
                }
            }

            try
            {
                await log.WhenCountAsync(total).WaitAsync(Due + TimeSpan.FromSeconds(90)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Reported: the result says how many arrived.
            }

            var loadLine = load.Describe();
            var sends = await log.ReadAllAsync().ConfigureAwait(false);
            var warmUp = (int)(2 * rate);
            var lateness = new List<double>();
            var early = 0;
            foreach (var send in sends)
            {
                var i = int.Parse(node.OrderIdOf(send.OrderId).Split('-')[^1], System.Globalization.CultureInfo.InvariantCulture);
                var late = (send.SentAt - (abandonedAt[i] + Due)).TotalMilliseconds;
                early += late < 0 ? 1 : 0;
                if (i >= warmUp)
                {
                    lateness.Add(late);
                }
            }

            lateness.Sort();
            return new Result(framework, tuned, total, sends.Count, lateness.Count, Args.Percentile(lateness, 0.5), Args.Percentile(lateness, 0.9), Args.Percentile(lateness, 0.99), lateness.Count == 0 ? double.NaN : lateness[^1], early, loadLine);
        }
        finally
        {
            S1Timing.Reset();
        }
    }
}
