using BenchmarkDotNet.Attributes;
using NodaTime;
using Recovery.Journeys.Benchmarks.Shared;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;

namespace Recovery.Journeys.Benchmarks.Build;

/// <summary>
/// Builds a journey of <see cref="Steps"/> push steps, each with a templated body and its own delay: what
/// <c>Build()</c> costs as a journey grows (its checks, the templates' compilation, the step graph). Linear means the
/// time per step stays flat from 100 to 10,000 steps.
/// </summary>
[MemoryDiagnoser]
public class BuildBenchmarks
{
    [Params(100, 1_000, 10_000)]
    public int Steps { get; set; }

    [Benchmark]
    public JourneyDefinition Build() => LongJourney(Steps);

    /// <summary>The journey measured: a chain of <paramref name="steps"/> pushes, one minute apart.</summary>
    public static JourneyDefinition LongJourney(int steps)
    {
        var journey = Journey.When<Checkout>().Named("long").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .After(Duration.FromMinutes(1)).Push("push-0", p => p.Body("Step 0 for {{event.OrderId}}"));
        for (var i = 1; i < steps; i++)
        {
            var id = "push-" + i;
            journey = journey.Then().After(Duration.FromMinutes(1)).Push(id, p => p.Body("Step " + id + " for {{event.OrderId}}"));
        }

        return journey.Build();
    }
}
