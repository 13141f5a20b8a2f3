using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Npgsql;
using Quartz;
using Recovery.Journeys.Ports;
using Recovery.Journeys.PostgreSql;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.TestSupport;
using Recovery.Journeys.Testing;
using Xunit.Abstractions;

namespace Recovery.Journeys.Quartz.Tests;

/// <summary>Two app instances scheduling journey wake-ups on a real clustered Quartz (ADO job store on the real PostgreSQL).</summary>
public sealed class QuartzClusterIntegrationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly Duration NoSweep = Duration.FromHours(1);
    private QuartzCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await QuartzCluster.CreateAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task TwoClusteredNodes_RunEveryStepOnceOnOneNodeAtOrAfterItsDueTime()
    {
        const int Orders = 150;

        // The sweep runs once, as each node starts, on an empty store: every step below is run by a Quartz trigger.
        var nodeA = await _cluster.StartNodeAsync("node-a", NoSweep, TestJourneys.TwoReminders);
        var nodeB = await _cluster.StartNodeAsync("node-b", NoSweep, TestJourneys.TwoReminders);
        await Poll.UntilAsync(async () => await _cluster.CountCheckedInNodesAsync() == 2, TimeSpan.FromSeconds(30), () => "both nodes to check in to the Quartz cluster");

        var engines = new[] { nodeA, nodeB }.Select(n => n.Services.GetRequiredService<JourneyEngine>()).ToArray();
        for (var i = 0; i < Orders; i++)
        {
            (await engines[i % 2].PublishAsync(new OrderUnpaid($"order-{i}"))).Started.Should().HaveCount(1);
        }

        await Poll.UntilAsync(async () => await _cluster.CountJourneysWithStepsLeftAsync() == 0, TimeSpan.FromSeconds(60), () => $"{Orders} journeys to complete ({_cluster.Sends.Count} sends so far)");

        var sends = _cluster.Sends.ToList();
        sends.Should().HaveCount(2 * Orders, "each of the two steps of each journey runs");
        sends.Select(s => s.IdempotencyKey).Should().OnlyHaveUniqueItems("a step runs once, on one node");
        sends.Should().OnlyContain(s => s.SentAt >= s.DueAt, "no step runs before its due time");
        sends.GroupBy(s => s.Node).Select(g => g.Key).Should().BeEquivalentTo(["node-a", "node-b"], "the cluster shared the wake-ups: each node ran steps");
        var lateness = sends.Select(s => (s.SentAt - s.DueAt).TotalMilliseconds).Order().ToList();
        output.WriteLine(
            $"{sends.Count} steps of {Orders} journeys on a 2-node Quartz cluster: " +
            string.Join(", ", sends.GroupBy(s => s.Node).OrderBy(g => g.Key).Select(g => $"{g.Key} ran {g.Count()}")) +
            $"; sent after their due time by {lateness[lateness.Count / 2]:F0} ms (median), {lateness[^1]:F0} ms at most.");

        // After the attribution window each journey completes; a one-shot trigger goes once fired, and an ended journey's is removed.
        await Poll.UntilAsync(async () => await _cluster.CountActiveJourneysAsync() == 0, TimeSpan.FromSeconds(30), () => "the journeys to complete after their attribution window");
        await Poll.UntilAsync(async () => await _cluster.CountJourneyTriggersAsync() == 0, TimeSpan.FromSeconds(10), () => "Quartz to drop the fired triggers");
    }

    [Fact]
    public async Task NodeThatScheduledTheWakeUpsStops_TheOtherNodeRunsThem()
    {
        const int Orders = 40;
        var nodeA = await _cluster.StartNodeAsync("node-a", NoSweep, TestJourneys.TwoReminders);
        await _cluster.StartNodeAsync("node-b", NoSweep, TestJourneys.TwoReminders);
        var engineA = nodeA.Services.GetRequiredService<JourneyEngine>();
        for (var i = 0; i < Orders; i++)
        {
            (await engineA.PublishAsync(new OrderUnpaid($"order-{i}"))).Started.Should().HaveCount(1);
        }

        // Node A goes away (a deploy), normally before the first step is due 2 s after the start: the triggers it
        // scheduled are in Quartz's tables, for the whole cluster.
        await nodeA.StopAsync();
        var sentByNodeA = _cluster.Sends.Count;

        await Poll.UntilAsync(async () => await _cluster.CountJourneysWithStepsLeftAsync() == 0, TimeSpan.FromSeconds(60), () => $"node-b to run the {Orders} journeys ({_cluster.Sends.Count} sends so far)");
        var sends = _cluster.Sends.ToList();
        sends.Should().HaveCount(2 * Orders).And.OnlyContain(s => s.SentAt >= s.DueAt);
        sends.Select(s => s.IdempotencyKey).Should().OnlyHaveUniqueItems();
        sends.Skip(sentByNodeA).Should().NotBeEmpty().And.OnlyContain(s => s.Node == "node-b", "node B runs every wake-up node A left in Quartz");
        output.WriteLine($"After node-a stopped, node-b ran {sends.Count - sentByNodeA} of the {sends.Count} steps.");
    }

    [Fact]
    public async Task WakeUpLostBeforeItReachedQuartz_IsRunByTheReconciliationSweep()
    {
        // A journey committed by an engine that never told Quartz: what a crash between the store's commit and the
        // Quartz schedule leaves behind.
        await using (var store = new PostgreSqlJourneyStore(new PostgreSqlJourneyStoreOptions { ConnectionString = TestPostgres.ConnectionString, Schema = _cluster.Schema }, TimeProvider.System))
        {
            var engine = new JourneyEngine([TestJourneys.InASecond], store, new JourneyHostServices { Channels = new Testing.RecordingChannels(TimeProvider.System) }, TimeProvider.System);
            (await engine.PublishAsync(new SignupStalled("signup-1"))).Started.Should().HaveCount(1);
        }

        (await _cluster.CountJourneyTriggersAsync()).Should().Be(0, "Quartz never heard of the wake-up");
        await _cluster.StartNodeAsync("node-a", Duration.FromSeconds(1), TestJourneys.InASecond);

        await Poll.UntilAsync(() => Task.FromResult(!_cluster.Sends.IsEmpty), TimeSpan.FromSeconds(30), () => "the sweep to run the lost step");
        await Poll.UntilAsync(async () => await _cluster.CountJourneysWithStepsLeftAsync() == 0, TimeSpan.FromSeconds(10), () => "the journey to complete");
        var send = _cluster.Sends.Should().ContainSingle().Subject;
        send.SentAt.Should().BeGreaterThanOrEqualTo(send.DueAt);
        output.WriteLine($"The sweep ran the lost step {(send.SentAt - send.DueAt).TotalMilliseconds:F0} ms after its due time (interval 1 s).");
    }

    [Fact]
    public async Task JourneyStartsThenExits_TriggerIsScheduledForTheDueTimeThenRemoved()
    {
        var node = await _cluster.StartNodeAsync("node-a", NoSweep, TestJourneys.InAnHour);
        var engine = node.Services.GetRequiredService<JourneyEngine>();
        var quartz = await node.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var scheduler = node.Services.GetRequiredService<QuartzJourneyScheduler>();

        var started = (await engine.PublishAsync(new CartAbandoned("cart-1"))).Started.Single();
        var instance = (await engine.FindInstancesAsync(new JourneyInstanceQuery(CorrelationKey: "cart-1"))).Single();
        var trigger = await quartz.GetTrigger(scheduler.TriggerKeyOf(started));
        trigger.Should().NotBeNull();
        trigger!.JobKey.Name.Should().Be(started.ToString(), "the job is keyed by the instance id");
        trigger.StartTimeUtc.Should().BeCloseTo(instance.WakeUpAt!.Value.ToDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        trigger.StartTimeUtc.Should().BeOnOrAfter(instance.WakeUpAt!.Value.ToDateTimeOffset(), "a trigger never fires before the step is due");

        (await engine.PublishAsync(new OrderPaid("cart-1"))).Ended.Should().ContainSingle();

        (await quartz.Exists(scheduler.TriggerKeyOf(started))).Should().BeFalse("an ended journey needs no wake-up");
        (await quartz.Exists(new JobKey(started.ToString(), "recovery-journeys"))).Should().BeFalse();
    }

    [Fact]
    public async Task ScheduleAsync_SameInstanceTwice_ReplacesItsTrigger()
    {
        var node = await _cluster.StartNodeAsync("node-a", NoSweep, TestJourneys.InAnHour);
        var scheduler = node.Services.GetRequiredService<QuartzJourneyScheduler>();
        var quartz = await node.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var id = JourneyInstanceId.New();
        var first = Instant.FromUtc(2031, 1, 1, 10, 0);
        var second = first + Duration.FromMinutes(5);

        await scheduler.ScheduleAsync(id, first, CancellationToken.None);
        await scheduler.ScheduleAsync(id, second, CancellationToken.None);

        (await _cluster.CountJourneyTriggersAsync()).Should().Be(1);
        (await quartz.GetTrigger(scheduler.TriggerKeyOf(id)))!.StartTimeUtc.Should().Be(second.ToDateTimeOffset());
    }
}
