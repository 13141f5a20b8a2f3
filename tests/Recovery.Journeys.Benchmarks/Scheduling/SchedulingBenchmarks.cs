using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Recovery.Journeys.Benchmarks.Scheduling;

/// <summary>The scheduling benchmark (<see cref="SchedulingBenchmarkBase"/>) with 1,000 and 10,000 checkouts.</summary>
/// <remarks>
/// One operation is a few milliseconds and runs once per iteration (each needs a fresh engine or scheduler), so 30
/// warm-up iterations let the runtime finish optimising the hot code before the 20 measured (see
/// <c>BenchmarkEntry</c> on the tier-up delay).
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
[WarmupCount(30)]
[IterationCount(20)]
public class SchedulingBenchmarks : SchedulingBenchmarkBase
{
    /// <summary>Checkouts per operation.</summary>
    [Params(1_000, 10_000)]
    public override int Checkouts { get; set; }
}
