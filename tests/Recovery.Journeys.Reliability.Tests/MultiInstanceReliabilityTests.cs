using System.Diagnostics;
using Recovery.Journeys.CrashWorker;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Xunit.Abstractions;

namespace Recovery.Journeys.Reliability.Tests;

/// <summary>
/// Three worker processes on one PostgreSQL schema drain 20,000 due journeys together: every step delivered exactly
/// once, none twice, none lost. Prints the throughput.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class PostgreSqlMultiInstanceReliabilityTests(ITestOutputHelper output)
{
    private const int Journeys = 20_000;
    private const int Workers = 3;

    [Fact]
    public async Task ThreeWorkerProcesses_SharingTwentyThousandJourneys_DeliverEachExactlyOnce()
    {
        await using var database = await PostgreSqlReliabilityDatabase.CreateAsync();
        await database.CreateDeliveryTableAsync();

        // Publish everything first, so that the workers start on a backlog that is all due: the time they take is
        // theirs alone, not the publisher's.
        var publishing = Stopwatch.StartNew();
        await using (var store = (IAsyncDisposable)await database.OpenStoreAsync())
        {
            var engine = new JourneyEngine(ReliabilityJourneys.All, (IJourneyStore)store, new JourneyHostServices { Channels = new NoSendChannels() }, TimeProvider.System);
            await Parallel.ForEachAsync(Enumerable.Range(0, Journeys), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancellationToken) =>
                (await engine.PublishAsync(new SignupStalled($"signup-{i}"), cancellationToken)).Started.Should().HaveCount(1));
        }

        output.WriteLine($"Published {Journeys} journeys in {publishing.Elapsed.TotalSeconds:F1} s.");
        await Poll.UntilAsync(async () => await IsAllDueAsync(database), TimeSpan.FromSeconds(10), () => "the last journey's step to fall due");

        var running = Stopwatch.StartNew();
        var workers = Enumerable.Range(1, Workers).Select(n => WorkerProcess.Start($"worker-{n}", database.WorkerArguments($"worker-{n}", concurrency: 8))).ToList();
        try
        {
            await Poll.UntilAsync(async () => await database.CountActiveAsync() == 0, TimeSpan.FromSeconds(150), () => $"{Journeys} journeys to complete", workers);
            running.Stop();
            foreach (var worker in workers)
            {
                await worker.StopAsync();
            }
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }

        var deliveries = await database.ReadDeliveriesAsync();
        var byKey = deliveries.GroupBy(d => d.IdempotencyKey).ToDictionary(g => g.Key, g => g.Count());
        await using var check = (IAsyncDisposable)await database.OpenStoreAsync();
        var instances = await ((IJourneyStore)check).FindAsync(new JourneyInstanceQuery(ReliabilityJourneys.OneReminder.Name), CancellationToken.None);
        instances.Should().HaveCount(Journeys).And.OnlyContain(i => i.Status == JourneyStatus.Completed);
        var expected = instances.Select(i => $"{i.Id}:reminder").ToHashSet();

        var duplicated = byKey.Count(k => k.Value > 1);
        var lost = expected.Count(key => !byKey.ContainsKey(key));
        var sent = new Dictionary<string, int>();
        await foreach (var record in ((IJourneyStore)check).ReadRecordsAsync(new JourneyRecordQuery(ReliabilityJourneys.OneReminder.Name), CancellationToken.None))
        {
            if (record.Kind == JourneyRecordKind.Sent)
            {
                sent[$"{record.InstanceId}:{record.StepId}"] = sent.GetValueOrDefault($"{record.InstanceId}:{record.StepId}") + 1;
            }
        }

        var first = deliveries.Min(d => d.StartedAtTicks);
        var lastDelivery = deliveries.Max(d => d.StartedAtTicks);
        var perWorker = string.Join(", ", deliveries.GroupBy(d => d.Worker).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));
        output.WriteLine(
            $"{Workers} worker processes ran {deliveries.Count} steps (claim, send, commit) in {running.Elapsed.TotalSeconds:F1} s from their start, " +
            $"{TimeSpan.FromTicks(lastDelivery - first).TotalSeconds:F1} s from the first send to the last: " +
            $"{deliveries.Count / TimeSpan.FromTicks(lastDelivery - first).TotalSeconds:F0} steps/s; {perWorker}; {duplicated} duplicated, {lost} lost.");

        duplicated.Should().Be(0, "no step may reach the channel twice when no worker crashes");
        lost.Should().Be(0, "no step may be lost");
        byKey.Keys.Where(key => !expected.Contains(key)).Should().BeEmpty();
        sent.Should().HaveCount(Journeys).And.OnlyContain(s => s.Value == 1 && expected.Contains(s.Key), "each step is recorded as sent once");
        deliveries.Select(d => d.Worker).Distinct().Should().HaveCount(Workers, "the work is shared by every worker");
    }

    private static async Task<bool> IsAllDueAsync(PostgreSqlReliabilityDatabase database) =>
        await database.LatestWakeUpAsync() is not { } latest || latest <= NodaTime.Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow());
}
