using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace Recovery.Journeys.Benchmarks;

/// <summary>
/// Runs the BenchmarkDotNet benchmarks (<c>SchedulingBenchmarks</c>, <c>TemplateBenchmarks</c>, <c>BuildBenchmarks</c>): pass BenchmarkDotNet's
/// own arguments, e.g. <c>--filter *Scheduling*</c>.
/// </summary>
/// <remarks>
/// Each benchmark runs in a process of its own on this project's runtime settings: server GC, not concurrent, as an
/// ASP.NET Core host. The runtime's tier-up delay is set to zero (<c>DOTNET_TC_CallCountingDelayMs=0</c>): the runtime
/// waits for 100 ms without new compilations before it starts counting calls to optimise hot methods, and, most
/// likely, BenchmarkDotNet's own work between iterations kept resetting that delay: with one short operation per
/// iteration (the scheduling benchmark) the code measured, the engine's and Quartz's alike, ran 3 to 4 times slower
/// than in a console loop for the whole run, and as fast with the delay at zero. A long-running app is past that
/// delay within its first second.
/// </remarks>
public static class BenchmarkEntry
{
    public static int Run(string[] args)
    {
        var job = Job.Default
            .WithGcServer(true)
            .WithGcConcurrent(false)
            .WithEnvironmentVariable("DOTNET_TC_CallCountingDelayMs", "0")
            .WithWarmupCount(3)
            .WithIterationCount(15);
        var config = DefaultConfig.Instance.AddJob(job).AddColumn(StatisticColumn.Median).WithOptions(ConfigOptions.JoinSummary);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
