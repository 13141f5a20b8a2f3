using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Recovery.Journeys.Benchmarks;

/// <summary>
/// Runs the BenchmarkDotNet benchmarks (<c>SchedulingBenchmarks</c>, <c>TemplateBenchmarks</c>): pass BenchmarkDotNet's
/// own arguments, e.g. <c>--filter *Scheduling*</c>.
/// </summary>
/// <remarks>
/// In process, so that they run on this project's runtime settings (server GC, not concurrent, as an ASP.NET Core
/// host), and without building a project per benchmark on a 2-core machine.
/// </remarks>
public static class BenchmarkEntry
{
    public static int Run(string[] args)
    {
        var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(15);
        var config = DefaultConfig.Instance.AddJob(job).WithOptions(ConfigOptions.JoinSummary);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
