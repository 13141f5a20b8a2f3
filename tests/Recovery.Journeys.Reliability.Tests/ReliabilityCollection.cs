namespace Recovery.Journeys.Reliability.Tests;

/// <summary>
/// The tests that start worker processes run one at a time, and alone: each loads both cores, and their measurements
/// (throughput, how close races come) mean more without a neighbour.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilityCollection
{
    public const string Name = "Worker processes";
}
