using System.Diagnostics;
using Recovery.Journeys.Benchmarks.Durable;

namespace Recovery.Journeys.Benchmarks.Scheduling;

/// <summary>
/// Runs one side of <see cref="SchedulingBenchmarks"/> in a loop for a profiler (dotnet-trace):
/// <c>profile-scheduling engine|quartz [--seconds 10] [--checkouts 1000]</c>.
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
        if (args.Contains("--priority"))
        {
            Thread.CurrentThread.Priority = ThreadPriority.Highest;
            Process.GetCurrentProcess().PriorityClass = ProcessPriorityClass.High;
        }

        var watch = Stopwatch.StartNew();
        var operations = 0;
        var timed = TimeSpan.Zero;
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
                if (args.Contains("--blocking"))
                {
                    benchmarks.Engine().GetAwaiter().GetResult();
                }
                else
                {
                    await benchmarks.Engine().ConfigureAwait(false);
                }

                timed += watch.Elapsed - start;
            }

            operations++;
        }

        Console.WriteLine($"{(quartz ? "quartz" : "engine")}: {operations} operations of {benchmarks.Checkouts} checkouts, {timed.TotalMilliseconds / operations:F2} ms each");
        return 0;
    }
}
