using System.Diagnostics;
using System.Globalization;
using Recovery.Journeys.Benchmarks.Durable;
using Recovery.Journeys.Benchmarks.Shared;
using Recovery.Journeys.Benchmarks.Templates;

namespace Recovery.Journeys.Benchmarks.Build;

/// <summary>
/// Times <see cref="BuildBenchmarks.LongJourney"/> for a machine too busy for BenchmarkDotNet, or too slow for it at
/// 10,000 steps: <c>build [--rounds 5] [--sizes 100,1000,10000]</c>.
/// </summary>
/// <remarks>
/// One warm-up build of the smallest size, then each round builds every size once. Prints per size the median wall
/// time, the median of the thread's CPU time (on Linux; the time other processes take the core does not count), the
/// time per step, and the bytes allocated per build, which do not depend on the load.
/// </remarks>
public static class BuildRun
{
    public static int Run(string[] args)
    {
        var rounds = DurableRun.Option(args, "--rounds", 5);
        var sizesIndex = Array.IndexOf(args, "--sizes");
        var sizes = sizesIndex >= 0
            ? args[sizesIndex + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray()
            : [100, 1_000, 10_000];
        var machine = MachineLoad.Start();
        var loads = new List<double> { MachineLoad.LoadAverage() };
        BuildBenchmarks.LongJourney(sizes.Min());
        var results = sizes.ToDictionary(s => s, _ => new List<(double Wall, double Cpu, long Bytes)>());
        for (var round = 0; round < rounds; round++)
        {
            foreach (var steps in sizes)
            {
                results[steps].Add(Measure(steps));
                loads.Add(MachineLoad.LoadAverage());
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"build: {rounds} rounds; {machine.Describe()}; 1-minute load average {loads.Min():F2} to {loads.Max():F2} during the run"));
        Console.WriteLine($"{"steps",8} {"wall median",12} {"cpu median",11} {"cpu per step",13} {"allocated",14} {"per step",10}");
        foreach (var steps in sizes)
        {
            var runs = results[steps];
            var cpu = Quantiles.Median(runs.Select(r => r.Cpu));
            var bytes = runs.Min(r => r.Bytes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{steps,8:N0} {Quantiles.Median(runs.Select(r => r.Wall)),10:F1}ms {cpu,9:F1}ms {cpu * 1000 / steps,10:F1}µs {bytes,14:N0} {bytes / steps,10:N0}"));
        }

        return 0;
    }

    private static (double Wall, double Cpu, long Bytes) Measure(int steps)
    {
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var cpu = TemplateComparisonRun.ThreadCpuNanoseconds();
        var wall = Stopwatch.GetTimestamp();
        BuildBenchmarks.LongJourney(steps);
        var elapsed = Stopwatch.GetElapsedTime(wall).TotalMilliseconds;
        return (elapsed, (TemplateComparisonRun.ThreadCpuNanoseconds() - cpu) / 1e6, GC.GetAllocatedBytesForCurrentThread() - bytes);
    }
}
