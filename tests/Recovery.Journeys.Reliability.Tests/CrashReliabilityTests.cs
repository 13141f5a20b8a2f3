using Xunit.Abstractions;

namespace Recovery.Journeys.Reliability.Tests;

/// <summary>
/// A worker process on a SQLite file, killed with SIGKILL eight times in the middle of 3,000 three-step journeys and
/// restarted each time: no step lost, none recorded twice, and the only repeated deliveries are those a crash
/// interrupted between the send and its commit (deduplicated by idempotency key).
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class SqliteCrashReliabilityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Worker_KilledRepeatedlyMidRun_LosesNoStepAndRecordsNoneTwice()
    {
        await using var database = new SqliteReliabilityDatabase();

        var report = await CrashRun.RunAsync(database, journeys: 3_000, kills: 8, output);

        report.Lost.Should().Be(0);
        report.RecordedTwice.Should().Be(0);
        report.DistinctKeys.Should().Be(report.Steps);
        report.RedeliveredKeys.Should().BePositive("the kills landed with steps sent and not yet committed, which the next run sends again");
    }
}

/// <summary>The same crash test on PostgreSQL, with 2,000 journeys: a killed worker's claims end with its connection.</summary>
[Collection(ReliabilityCollection.Name)]
public sealed class PostgreSqlCrashReliabilityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Worker_KilledRepeatedlyMidRun_LosesNoStepAndRecordsNoneTwice()
    {
        await using var database = await PostgreSqlReliabilityDatabase.CreateAsync();

        var report = await CrashRun.RunAsync(database, journeys: 2_000, kills: 8, output);

        report.Lost.Should().Be(0);
        report.RecordedTwice.Should().Be(0);
        report.DistinctKeys.Should().Be(report.Steps);
        report.RedeliveredKeys.Should().BePositive("the kills landed with steps sent and not yet committed, which the next run sends again");
    }
}
