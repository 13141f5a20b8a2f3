using BenchmarkDotNet.Running;
using Recovery.Journeys.Benchmarks.Build;
using Recovery.Journeys.Benchmarks.Durable;
using Recovery.Journeys.Benchmarks.Lateness;
using Recovery.Journeys.Benchmarks.Scale;
using Recovery.Journeys.Benchmarks.Scheduling;
using Recovery.Journeys.Benchmarks.Templates;

namespace Recovery.Journeys.Benchmarks.Tests;

/// <summary>
/// Runs every benchmark and timed run of docs/performance.md at a small size and checks what each checks for itself
/// (every step ran once, nothing early, the floor renders the same text). No timing is asserted: CI machines vary.
/// The durable runs need the PostgreSQL server of <c>eng/test-services.sh</c>.
/// </summary>
[Collection(nameof(BenchmarkSmokeTests))]
public sealed class BenchmarkSmokeTests
{
    [Fact]
    public async Task ScaleRun_ThousandJourneys_EveryExpectedStepRunsOnce()
    {
        (await ScaleRun.RunAsync(["1000"])).Should().Be(0);
    }

    [Theory]
    [InlineData("sqlite", 1)]
    [InlineData("sqlite", 2)]
    [InlineData("postgresql", 1)]
    [InlineData("postgresql", 2)]
    public async Task DurableRun_EngineOnStore_EveryStepSentAndRecordedOnce(string store, int workers)
    {
        var result = await DurableRun.EngineAsync(store, workers, journeys: 40);

        result.Correct.Should().BeTrue(result.Check);
        result.Steps.Should().Be(120);
    }

    [Theory]
    [InlineData("sqlite", 1, 120)] // the bare loop runs all 3 x 40 steps
    [InlineData("postgresql", 1, 80)] // pgbench: 16 clients x (120 - 2 x 16) / 16 = 5 transactions
    [InlineData("postgresql", 2, 32)] // pgbench: 32 clients x 1 transaction
    public async Task DurableRun_Floor_RunsTheStepsStatementsOnACopyOfTheEnginesRows(string store, int workers, long transactions)
    {
        var result = await DurableRun.EngineAsync(store, workers, journeys: 40, floor: DurableRun.FloorOrder.Before);

        result.Correct.Should().BeTrue(result.Check);
        result.Floor.Should().NotBeNull();
        result.Floor!.Correct.Should().BeTrue(result.Floor.Check);
        result.Floor.Transactions.Should().Be(transactions);
    }

    [Theory]
    [InlineData(1, 80)] // pgbench: 16 clients x (120 - 2 x 16) / 16 = 5 transactions a pair
    [InlineData(2, 32)] // pgbench: 32 clients x 1 transaction a pair
    public async Task DurableRun_InterleavedPairs_BothSidesRunEachSliceOnSameTables(int workers, long transactionsPerPair)
    {
        var result = await InterleavedRun.RunAsync(workers, pairs: 3, journeys: 40);

        result.Correct.Should().BeTrue(result.Check);
        result.Pairs.Should().HaveCount(3);
        result.Pairs.Select(p => p.EngineFirst).Should().Equal(true, false, true);
        result.Pairs.Should().AllSatisfy(p =>
        {
            p.Floor.Correct.Should().BeTrue(p.Floor.Check);
            p.Floor.Transactions.Should().Be(transactionsPerPair);
        });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task DurableRun_QuartzAdoJobStore_EveryJobRunsOnce(int nodes)
    {
        var result = await DurableRun.QuartzAsync(nodes, journeys: 40);

        result.Correct.Should().BeTrue(result.Check);
    }

    [Fact]
    public async Task LatenessRun_HostedWorker_SendsEveryStepAndNeverEarly()
    {
        var result = await LatenessRun.MeasureAsync(rate: 200, seconds: 3);

        result.Sent.Should().Be(result.Published);
        result.Early.Should().Be(0);
    }

    [Fact]
    public async Task LatenessRun_WithASlowChannel_SendsEveryStepOnceNeverEarly_AndEverySlowCallCompletes()
    {
        // 20 slow sends a second of 1 s each beside 200 fast ones: about 20 in flight, more than the default 16 slots,
        // so the run sizes them as docs/performance.md says (rate x call time, with room for the fast steps).
        var result = await LatenessRun.MeasureAsync(new LatenessOptions(Rate: 200, Seconds: 3, SlowRate: 20, SlowCall: TimeSpan.FromSeconds(1), MaxConcurrentSteps: 64));

        result.Correct.Should().BeTrue(result.Check);
        result.Sent.Should().Be(600);
        result.SlowCompleted.Should().Be(60);
    }

    [Fact]
    public void BuildBenchmarks_ALongJourney_HasEveryStepChainedInOrder()
    {
        var journey = new BuildBenchmarks { Steps = 100 }.Build();

        journey.Steps.Select(s => s.Id).Should().Equal(Enumerable.Range(0, 100).Select(i => $"push-{i}"));
        journey.Steps.Take(99).Select(s => s.NextStepId).Should().Equal(Enumerable.Range(1, 99).Select(i => $"push-{i}"));
    }

    [Fact]
    public void BuildRun_SmallSizes_BuildsEachSize() =>
        BuildRun.Run(["--rounds", "1", "--sizes", "10,20"]).Should().Be(0);

    [Theory]
    [InlineData(typeof(SchedulingBenchmarks))]
    [InlineData(typeof(LargeSchedulingBenchmarks))]
    public async Task SchedulingBenchmarks_BothSides_FireEveryReminderOfTheUnpaidCheckouts(Type sizes)
    {
        var benchmarks = (SchedulingBenchmarkBase)Activator.CreateInstance(sizes)!;
        benchmarks.Checkouts = 30;

        benchmarks.SetUpEngine();
        (await benchmarks.Engine()).Should().Be(60);
        benchmarks.SetUpQuartz();
        try
        {
            (await benchmarks.Quartz()).Should().Be(60);
        }
        finally
        {
            benchmarks.TearDownQuartz();
        }
    }

    [Fact]
    public async Task SchedulingPairs_TwoPairs_BothSidesTakeTurnsFirstAndHandOutEveryReminderOfTheUnpaidCheckouts()
    {
        // 30 checkouts: 10 paid, so 20 x 3 = 60 reminders an operation, on each side, in each of its 1 + 3 operations.
        var result = await SchedulingPairs.MeasureAsync(checkouts: 30, pairs: 2, warmup: 1, iterations: 3);

        result.Correct.Should().BeTrue(result.Check);
        result.Pairs.Select(p => p.EngineFirst).Should().Equal(true, false);
        result.Pairs.Should().AllSatisfy(p =>
        {
            p.Engine.Reminders.Should().Equal(60, 60, 60);
            p.Quartz.Reminders.Should().Equal(60, 60, 60);
            p.Engine.Milliseconds.Should().HaveCount(3).And.OnlyContain(ms => ms > 0);
            p.Quartz.Milliseconds.Should().HaveCount(3).And.OnlyContain(ms => ms > 0);
            p.Ratio.Should().Be(p.Quartz.Median / p.Engine.Median);
        });
    }

    [Fact]
    public void SchedulingBenchmarks_Cases_RunEachSizeWithItsIterations()
    {
        var cases = new[] { typeof(SchedulingBenchmarks), typeof(LargeSchedulingBenchmarks) }
            .SelectMany(t => BenchmarkConverter.TypeToBenchmarks(t).BenchmarksCases)
            .Select(c => (Checkouts: (int)c.Parameters["Checkouts"], c.Descriptor.WorkloadMethod.Name, Warmups: c.Job.Run.WarmupCount, Iterations: c.Job.Run.IterationCount))
            .OrderBy(c => c.Checkouts).ThenBy(c => c.Name)
            .ToList();

        cases.Should().Equal(
            (1_000, "Engine", 30, 20),
            (1_000, "Quartz", 30, 20),
            (10_000, "Engine", 30, 20),
            (10_000, "Quartz", 30, 20),
            (100_000, "Engine", 3, 10),
            (100_000, "Quartz", 3, 10));
    }

    [Fact]
    public void TemplateBenchmarks_Setup_FloorRendersTheSameTexts()
    {
        var benchmarks = new TemplateBenchmarks();

        // Throws when the hand-written floor and the templates disagree.
        benchmarks.SetUp();

        benchmarks.PushTemplate().Should().Be(benchmarks.PushFloor());
        benchmarks.EmailTemplate().Should().Be(benchmarks.EmailFloor());
        benchmarks.PushHandlebarsNet().Should().Be(benchmarks.PushFloor());
        benchmarks.EmailHandlebarsNet().Should().Be(benchmarks.EmailFloor());
    }

    [Fact]
    public void TemplateComparisonRun_ThisBuildAgainstItself_RendersTheSameTexts()
    {
        // Both builds in load contexts of their own; the run fails when they render different texts.
        var thisBuild = typeof(TemplateBenchmarks).Assembly.Location;

        TemplateComparisonRun.Run([thisBuild, "--rounds", "2", "--ops", "10"]).Should().Be(0);
    }
}
