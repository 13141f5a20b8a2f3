using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Recovery.Journeys.Benchmarks.Scheduling;

/// <summary>The scheduling benchmark (<see cref="SchedulingBenchmarkBase"/>) with 100,000 checkouts.</summary>
/// <remarks>
/// One operation takes seconds here: the runtime has optimised the hot code within the first one, so 3 warm-up and 10
/// measured iterations, where <see cref="SchedulingBenchmarks"/> needs 30 and 20, keep the run to a few minutes.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
[WarmupCount(3)]
[IterationCount(10)]
public class LargeSchedulingBenchmarks : SchedulingBenchmarkBase
{
    /// <summary>Checkouts per operation.</summary>
    [Params(100_000)]
    public override int Checkouts { get; set; }
}
