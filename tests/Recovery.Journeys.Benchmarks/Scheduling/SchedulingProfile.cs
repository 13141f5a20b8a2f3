using System.Diagnostics;
using Recovery.Journeys.Benchmarks.Durable;

namespace Recovery.Journeys.Benchmarks.Scheduling;

/// <summary>
/// Runs one side of the scheduling benchmark (<see cref="SchedulingBenchmarkBase"/>) in a loop for a profiler (dotnet-trace):
/// <c>profile-scheduling engine|quartz [--seconds 10] [--checkouts 1000] [--concurrency 16]</c>. Prints the time per
/// operation and the garbage collections per operation.
/// </summary>
public static class SchedulingProfile
{
    public static async Task<int> RunAsync(string[] args)
    {
        var quartz = args.Length > 0 && args[0] == "quartz";
        var benchmarks = new SchedulingBenchmarks
        {
            Checkouts = DurableRun.Option(args, "--checkouts", 1000),
            MaxConcurrentSteps = DurableRun.Option(args, "--concurrency", 16),
        };
        var seconds = DurableRun.Option(args, "--seconds", 10);
        var watch = Stopwatch.StartNew();
        var operations = 0;
        var timed = TimeSpan.Zero;
        var allocated = 0L;
        while (watch.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            if (quartz)
            {
                benchmarks.SetUpQuartz();
                var start = watch.Elapsed;
                await benchmarks.Quartz().ConfigureAwait(false);
                timed += watch.Elapsed - start;
                benchmarks.TearDownQuartz();
            }
            else
            {
                benchmarks.SetUpEngine();
                var start = watch.Elapsed;
                var bytes = GC.GetTotalAllocatedBytes(precise: true);
                await benchmarks.Engine().ConfigureAwait(false);
                allocated += GC.GetTotalAllocatedBytes(precise: true) - bytes;
                timed += watch.Elapsed - start;
            }

            operations++;
        }

        Console.WriteLine($"{(quartz ? "quartz" : "engine")}: {operations} operations of {benchmarks.Checkouts} checkouts, {timed.TotalMilliseconds / operations:F2} ms each; GC paused {GC.GetTotalPauseDuration().TotalMilliseconds / operations:F2} ms per operation (set-up included), {GC.CollectionCount(0) / (double)operations:F1} gen0, {GC.CollectionCount(1) / (double)operations:F1} gen1 and {GC.CollectionCount(2) / (double)operations:F1} gen2 collections per operation{(quartz ? string.Empty : $"; {allocated / (double)operations / benchmarks.Checkouts:F0} bytes allocated per checkout")}");
        return 0;
    }
}
