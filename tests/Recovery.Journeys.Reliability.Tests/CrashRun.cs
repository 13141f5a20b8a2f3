using System.Diagnostics;
using Recovery.Journeys.CrashWorker;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Xunit.Abstractions;

namespace Recovery.Journeys.Reliability.Tests;

/// <summary>
/// The crash test, for any database: publish thousands of three-step journeys, run one worker process at a time,
/// SIGKILL it in the middle of the run again and again (once it has sent its share and its channel hangs, with steps
/// in flight), restart it, and let the last run finish. Then check every
/// step of every journey against the delivery log and the store's timelines.
/// </summary>
internal static class CrashRun
{
    private const string KillPointVariable = "CRASH_WORKER_KILL_AT";
    private static readonly string[] Steps = ["first", "second", "third"];

    public static async Task<CrashReport> RunAsync(IReliabilityDatabase database, int journeys, int kills, ITestOutputHelper output)
    {
        var total = journeys * Steps.Length;
        await database.CreateDeliveryTableAsync();
        var publishing = Stopwatch.StartNew();
        await PublishAsync(database, journeys);
        output.WriteLine($"{database.Kind}: published {journeys} journeys in {publishing.Elapsed.TotalSeconds:F1} s.");

        var stopwatch = Stopwatch.StartNew();
        var startedAt = TimeProvider.System.GetUtcNow();
        var killedRuns = new HashSet<string>();
        for (var run = 1; run <= kills; run++)
        {
            var name = $"run-{run}";
            var before = await database.CountDeliveriesAsync();

            // Each run delivers its share of what is left, then its channel hangs (so that no machine is fast enough to
            // finish the run before the kill) and it dies with steps in flight, some sent and not yet committed.
            var share = (int)((total - before) / (kills - run + 2));
            await using var worker = WorkerProcess.Start(name, database.WorkerArguments(name, concurrency: 8, stallAfter: share));
            var killAt = before + share;
            await Poll.UntilAsync(async () => await database.CountDeliveriesAsync() >= killAt, TimeSpan.FromSeconds(90), () => $"{killAt} deliveries before killing {name}", worker);
            await worker.KillAsync();
            killedRuns.Add(name);

            var delivered = (await database.ReadDeliveriesAsync()).Select(d => d.IdempotencyKey).Distinct().Count();
            var active = await database.CountActiveAsync();
            output.WriteLine($"{database.Kind}: at {stopwatch.Elapsed.TotalSeconds:F1} s, killed {name} (SIGKILL) with {delivered} of {total} steps delivered and {active} journeys still active.");
            delivered.Should().BeLessThan(total, $"{name} must be killed in the middle of the run, not after it");
        }

        var last = $"run-{kills + 1}";
        await using (var worker = WorkerProcess.Start(last, database.WorkerArguments(last, concurrency: 8)))
        {
            await Poll.UntilAsync(async () => await database.CountActiveAsync() == 0, TimeSpan.FromSeconds(120), () => "every journey to complete", worker);
            output.WriteLine($"{database.Kind}: at {stopwatch.Elapsed.TotalSeconds:F1} s, {last} completed every journey.");
            await worker.StopAsync();
        }

        stopwatch.Stop();
        foreach (var run in (await database.ReadDeliveriesAsync()).GroupBy(d => d.Worker))
        {
            var first = TimeSpan.FromTicks(run.Min(d => d.StartedAtTicks) - (startedAt - DateTimeOffset.UnixEpoch).Ticks);
            var lastSend = TimeSpan.FromTicks(run.Max(d => d.StartedAtTicks) - (startedAt - DateTimeOffset.UnixEpoch).Ticks);
            output.WriteLine($"{database.Kind}: {run.Key} sent {run.Count()} between {first.TotalSeconds:F1} s and {lastSend.TotalSeconds:F1} s.");
        }

        var report = await CheckAsync(database, journeys, killedRuns);
        output.WriteLine(
            $"{database.Kind}: {journeys} journeys, {total} steps, {kills} SIGKILLs, {kills + 1} worker runs in {stopwatch.Elapsed.TotalSeconds:F1} s: " +
            $"{report.Lost} lost, {report.RecordedTwice} recorded as sent twice; the channel saw {report.Deliveries} deliveries of {report.DistinctKeys} keys, " +
            $"{report.RedeliveredKeys} keys more than once ({report.Deliveries - report.DistinctKeys} redeliveries, deduplicated by idempotency key).");
        return report;
    }

    /// <summary>
    /// The crash test with kills aimed at the store: each run but the last kills itself (SIGKILL) at one of
    /// <paramref name="killPoints"/> in turn (right after a claim, between a send and its commit, right after a commit),
    /// once it has passed that point for its share of what is left. Besides the checks of every crash run, each kill
    /// is checked for what it must leave: a step killed at its claim was not sent by that run; one killed before its
    /// commit was sent and is sent again by a later run; one killed after its commit is never sent again.
    /// </summary>
    public static async Task<CrashReport> RunAtKillPointsAsync(IReliabilityDatabase database, int journeys, IReadOnlyList<string> killPoints, ITestOutputHelper output)
    {
        var total = journeys * Steps.Length;
        await database.CreateDeliveryTableAsync();
        await PublishAsync(database, journeys);
        var killedRuns = new HashSet<string>();
        var kills = new List<(string Run, string Point, string Key)>();
        for (var run = 1; run <= killPoints.Count; run++)
        {
            var name = $"run-{run}";
            var point = killPoints[run - 1];
            var left = total - (await database.ReadDeliveriesAsync()).Select(d => d.IdempotencyKey).Distinct().Count();
            var share = Math.Max(1, left / (killPoints.Count - run + 2));
            var environment = new Dictionary<string, string> { [KillPointVariable] = $"{point}:{share}" };
            await using var worker = WorkerProcess.Start(name, environment, database.WorkerArguments(name, concurrency: 8));

            var exitCode = await worker.ExitedAsync(TimeSpan.FromSeconds(90));
            exitCode.Should().Be(137, $"{name} must die of its own SIGKILL (128 + 9) at {point} #{share}; its output:\n{worker.Output}");
            var marker = worker.Output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith($"killing myself at {point} #{share}: ", StringComparison.Ordinal));
            kills.Add((name, point, marker[(marker.LastIndexOf(' ') + 1)..]));
            killedRuns.Add(name);
            output.WriteLine($"{database.Kind}: {name} killed itself at {point} #{share} ({kills[^1].Key}), {left} steps having been left.");
        }

        var last = $"run-{killPoints.Count + 1}";
        await using (var worker = WorkerProcess.Start(last, database.WorkerArguments(last, concurrency: 8)))
        {
            await Poll.UntilAsync(async () => await database.CountActiveAsync() == 0, TimeSpan.FromSeconds(120), () => "every journey to complete", worker);
            await worker.StopAsync();
        }

        var report = await CheckAsync(database, journeys, killedRuns);
        var deliveries = await database.ReadDeliveriesAsync();
        foreach (var (run, point, key) in kills)
        {
            var byRun = deliveries.Where(d => d.IdempotencyKey == key).Select(d => d.Worker).ToList();
            var later = byRun.Where(w => RunNumber(w) > RunNumber(run)).ToList();
            switch (point)
            {
                case "claim":
                    byRun.Should().NotContain(run, $"{key} was claimed by {run}, which died before sending it");
                    later.Should().NotBeEmpty($"{key}, claimed by {run} when it died, is sent by a later run");
                    break;
                case "before-commit":
                    byRun.Should().Contain(run, $"{run} sent {key} and died before committing it");
                    later.Should().NotBeEmpty($"{key} was not committed, so a later run sends it again with the same key");
                    break;
                default:
                    byRun.Should().Contain(run, $"{run} sent and committed {key}");
                    later.Should().BeEmpty($"{key} was committed before {run} died: no later run sends it again");
                    break;
            }
        }

        output.WriteLine(
            $"{database.Kind}: {journeys} journeys, {total} steps, kills at {string.Join(", ", killPoints)}: {report.Lost} lost, {report.RecordedTwice} recorded twice; " +
            $"{report.Deliveries} deliveries of {report.DistinctKeys} keys, {report.RedeliveredKeys} keys more than once.");
        return report;
    }

    private static int RunNumber(string run) => int.Parse(run["run-".Length..], System.Globalization.CultureInfo.InvariantCulture);

    private static async Task PublishAsync(IReliabilityDatabase database, int journeys)
    {
        await using var store = (IAsyncDisposable)await database.OpenStoreAsync();
        var engine = new JourneyEngine(ReliabilityJourneys.All, (IJourneyStore)store, new JourneyHostServices { Channels = new NoSendChannels() }, TimeProvider.System);
        await Parallel.ForEachAsync(Enumerable.Range(0, journeys), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, cancellationToken) =>
        {
            var published = await engine.PublishAsync(new CartAbandoned($"cart-{i}"), cancellationToken);
            published.Started.Should().HaveCount(1);
        });
    }

    private static async Task<CrashReport> CheckAsync(IReliabilityDatabase database, int journeys, IReadOnlySet<string> killedRuns)
    {
        var deliveries = await database.ReadDeliveriesAsync();
        await using var store = (IAsyncDisposable)await database.OpenStoreAsync();
        var journeyStore = (IJourneyStore)store;
        var instances = await journeyStore.FindAsync(new JourneyInstanceQuery(ReliabilityJourneys.ThreeReminders.Name), CancellationToken.None);
        instances.Should().HaveCount(journeys).And.OnlyContain(i => i.Status == JourneyStatus.Completed, "every journey ran to its end");

        var expected = instances.SelectMany(i => Steps.Select(step => $"{i.Id}:{step}")).ToHashSet();
        var sent = new List<string>();
        await foreach (var record in journeyStore.ReadRecordsAsync(new JourneyRecordQuery(ReliabilityJourneys.ThreeReminders.Name), CancellationToken.None))
        {
            if (record.Kind == JourneyRecordKind.Sent)
            {
                sent.Add($"{record.InstanceId}:{record.StepId}");
            }
        }

        // The store: each step recorded as sent exactly once.
        var recordedTwice = sent.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        recordedTwice.Should().BeEmpty("no step may be recorded as sent twice");
        // (Sets, not BeEquivalentTo, which matches thousands of items pairwise.)
        expected.Except(sent).Should().BeEmpty("every step is recorded as sent");
        sent.Except(expected).Should().BeEmpty("only the journeys' steps are recorded as sent");

        // The channel: every key delivered at least once (zero lost), no key that is not a step of a journey.
        var byKey = deliveries.GroupBy(d => d.IdempotencyKey).ToDictionary(g => g.Key, g => g.ToList());
        var lost = expected.Where(key => !byKey.ContainsKey(key)).ToList();
        lost.Should().BeEmpty("no step may be lost");
        byKey.Keys.Where(key => !expected.Contains(key)).Should().BeEmpty("the channel was only given the journeys' steps");

        // A key reaches the channel again only after a crash between its send and its commit: every delivery of a
        // key but the last was made by a run that was killed.
        var redelivered = byKey.Values.Where(d => d.Count > 1).ToList();
        redelivered.SelectMany(d => d.SkipLast(1)).Should().OnlyContain(d => killedRuns.Contains(d.Worker), "only a crash leaves a send uncommitted");

        return new CrashReport(expected.Count, lost.Count, recordedTwice.Count, deliveries.Count, byKey.Count, redelivered.Count);
    }
}

/// <summary>What a crash run found.</summary>
internal sealed record CrashReport(int Steps, int Lost, int RecordedTwice, int Deliveries, int DistinctKeys, int RedeliveredKeys);
