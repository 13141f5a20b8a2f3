using System.Diagnostics;
using Recovery.Journeys.Comparison.Peers;
using Recovery.Journeys.Comparison.Shop;

namespace Recovery.Journeys.Comparison.Runs.Faults;

/// <summary>
/// <c>kill [library] [hangfire] [wolverine] [--journeys 300] [--kills 3] [--bound 120] [--tuned] [--hangfire-invisibility S]</c>:
/// worker processes killed with SIGKILL in the middle of a run; how many reminders are lost and how many sent twice.
/// </summary>
/// <remarks>
/// The parent publishes N checkouts (reminders due 1, 2 and 3 s later) through a node that only publishes, then runs
/// one worker process at a time: each sends its share of what is left, then its channel hangs (so the kill always
/// lands with sends in flight), and it is killed with SIGKILL (or after 60 s if it never sends its share); the last one runs until every reminder is on record or
/// the bound passes. Every send is appended durably to a table before the channel returns. Lost: a reminder never
/// sent by the end; duplicated: sends beyond the first of a reminder.
/// </remarks>
public static class KillRun
{
    public sealed record Result(string Framework, int Steps, int Kills, int Lost, int Duplicated, int RepeatedSteps, int Sends, TimeSpan Elapsed, bool Completed);

    public static void UseDelays() => S1Timing.Use(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));

    public static async Task<int> RunAsync(string[] args)
    {
        var journeys = Args.Int(args, "--journeys", 300);
        var kills = Args.Int(args, "--kills", 3);
        var bound = TimeSpan.FromSeconds(Args.Int(args, "--bound", 120));
        var extra = WorkerOptions(args);
        foreach (var framework in Args.Frameworks(args))
        {
            var r = await MeasureAsync(framework, journeys, kills, bound, extra, Console.WriteLine).ConfigureAwait(false);
            Console.WriteLine($"{framework}: {r.Steps:N0} reminders, {r.Kills} SIGKILLs: {r.Lost} lost (not sent within {bound.TotalSeconds:F0} s of the last restart), {r.Duplicated} duplicated sends ({r.RepeatedSteps} reminders sent more than once), {r.Sends:N0} sends in {r.Elapsed.TotalSeconds:F0} s{(r.Completed ? "" : "; the run ended at its bound")}");
        }

        return 0;
    }

    /// <summary>The options passed on to the workers.</summary>
    public static string[] WorkerOptions(string[] args) =>
        [.. args.Contains("--tuned") ? ["--tuned"] : Array.Empty<string>(), .. Args.Text(args, "--hangfire-invisibility") is { } s ? ["--hangfire-invisibility", s] : Array.Empty<string>()];

    public static async Task<Result> MeasureAsync(string framework, int journeys, int kills, TimeSpan bound, string[] workerOptions, Action<string> report)
    {
        UseDelays();
        try
        {
            await using var environment = await RunEnvironment.CreateAsync(framework, "postgresql").ConfigureAwait(false);
            var log = environment.SendLog;
            var total = journeys * 3;
            await using (var publisher = await environment.NodeAsync(framework, new RecordingChannels(log, "publisher"), tuned: false, "publisher", publishOnly: true).ConfigureAwait(false))
            {
                var now = DateTimeOffset.UtcNow;
                await Parallel.ForEachAsync(Enumerable.Range(0, journeys), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, token) =>
                    await publisher.AbandonAsync(Checkouts.New("kill", i, now), token).ConfigureAwait(false)).ConfigureAwait(false);
            }

            var watch = Stopwatch.StartNew();
            for (var run = 1; run <= kills; run++)
            {
                var before = await log.CountAsync().ConfigureAwait(false);
                var share = (int)((total - before) / (kills - run + 2));
                await using var worker = ChildProcess.Start(["worker", framework, environment.Store.Location, $"run-{run}", "--stall-after", $"{share}", .. workerOptions]);
                var reached = await UntilAsync(async () => await log.CountAsync().ConfigureAwait(false) >= before + share, TimeSpan.FromSeconds(60), worker).ConfigureAwait(false);
                await worker.KillAsync().ConfigureAwait(false);
                report($"  {framework}: at {watch.Elapsed.TotalSeconds:F1} s, killed run-{run} (SIGKILL) with {await log.CountAsync().ConfigureAwait(false)} sends on record{(reached ? "" : $" (it never reached its share; its output:\n{worker.Output})")}");
            }

            bool completed;
            await using (var last = ChildProcess.Start(["worker", framework, environment.Store.Location, "last", .. workerOptions]))
            {
                completed = await UntilAsync(async () => (await log.ReadAllAsync().ConfigureAwait(false)).Select(r => (r.OrderId, r.Step)).Distinct().Count() >= total, bound, last).ConfigureAwait(false);
                await last.StopAsync().ConfigureAwait(false);
            }

            var records = await log.ReadAllAsync().ConfigureAwait(false);
            Func<string, string> orderOf = id => id;
            if (framework == "library")
            {
                var reader = (LibraryNode)await environment.NodeAsync("library", new RecordingChannels(log, "reader"), tuned: false, "reader").ConfigureAwait(false);
                await reader.LearnOrdersAsync().ConfigureAwait(false);
                orderOf = reader.OrderIdOf;
                await reader.DisposeAsync().ConfigureAwait(false);
            }

            var byStep = records.GroupBy(r => (Order: orderOf(r.OrderId), r.Step)).ToDictionary(g => g.Key, g => g.Count());
            var lost = total - byStep.Count;
            return new Result(framework, total, kills, lost, byStep.Values.Sum(c => c - 1), byStep.Values.Count(c => c > 1), records.Count, watch.Elapsed, completed);
        }
        finally
        {
            S1Timing.Reset();
        }
    }

    /// <summary>Polls every 100 ms until the condition holds (true) or the timeout passes (false); throws if the worker exits on its own.</summary>
    private static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, ChildProcess worker)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (worker.HasExited)
            {
                throw new InvalidOperationException($"A worker exited on its own. Its output:\n{worker.Output}");
            }

            if (await condition().ConfigureAwait(false))
            {
                return true;
            }

            await timer.WaitForNextTickAsync().ConfigureAwait(false);
        }

        return false;
    }
}
