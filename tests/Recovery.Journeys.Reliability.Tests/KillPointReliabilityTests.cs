using Xunit.Abstractions;

namespace Recovery.Journeys.Reliability.Tests;

/// <summary>
/// Worker processes that kill themselves (SIGKILL) at the store's own critical points, in turn: right after a claim,
/// between a step's send and its commit, right after a commit. Nothing is lost, nothing is recorded twice, and only a
/// kill between a send and its commit makes a step reach the channel again (deduplicated by idempotency key).
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class KillPointReliabilityTests(ITestOutputHelper output)
{
    private static readonly string[] KillPoints = ["claim", "before-commit", "after-commit", "claim", "before-commit", "after-commit"];

    [Fact]
    public async Task Sqlite_WorkerKilledAtClaimsAndCommits_LosesNoStepAndRecordsNoneTwice()
    {
        await using var database = new SqliteReliabilityDatabase();

        var report = await CrashRun.RunAtKillPointsAsync(database, journeys: 600, KillPoints, output);

        report.Lost.Should().Be(0);
        report.RecordedTwice.Should().Be(0);
        report.DistinctKeys.Should().Be(report.Steps);
        report.RedeliveredKeys.Should().BePositive("each kill before a commit leaves a sent step to be sent again");
    }

    [Fact]
    public async Task PostgreSql_WorkerKilledAtClaimsAndCommits_LosesNoStepAndRecordsNoneTwice()
    {
        await using var database = await PostgreSqlReliabilityDatabase.CreateAsync();

        var report = await CrashRun.RunAtKillPointsAsync(database, journeys: 600, KillPoints, output);

        report.Lost.Should().Be(0);
        report.RecordedTwice.Should().Be(0);
        report.DistinctKeys.Should().Be(report.Steps);
        report.RedeliveredKeys.Should().BePositive("each kill before a commit leaves a sent step to be sent again");
    }
}
