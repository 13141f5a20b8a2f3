using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Tests.Fixtures;
using Xunit.Abstractions;

namespace Recovery.Journeys.Tests;

/// <summary>
/// A hung or slow channel holds up only its own step, on the real clock in the hosted worker: other journeys' steps go
/// out on time meanwhile, the hung call is abandoned at the send timeout and retried with the same idempotency key, and
/// the host stops within its shutdown timeout whatever the channel does. The tests wait for events, never sleep; the
/// lateness figures are printed, and asserted only against the stall they would show if the hung call held the worker.
/// </summary>
public sealed class RealTimeSlowChannelTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task HungAndSlowChannels_HoldUpOnlyTheirOwnSteps()
    {
        const int FastCount = 40;
        var hung = new HungChannel();
        var slow = new SlowChannel(TimeSpan.FromSeconds(4));
        var fast = new TimestampingChannel(FastCount);
        using var host = await StartHostAsync(hung, slow, fast, sendTimeout: Duration.FromSeconds(3));
        var engine = host.Services.GetRequiredService<JourneyEngine>();

        await engine.PublishAsync(new Hang("hung-1"));
        await engine.PublishAsync(new Slow("slow-1"));
        await hung.Called.WaitAsync(Patience);
        await slow.Called.WaitAsync(Patience);

        // Both calls are in flight now; every fast step falls due 300 ms after its trigger.
        for (var i = 0; i < FastCount; i++)
        {
            await engine.PublishAsync(new Fast($"fast-{i}"));
        }

        await fast.AllSent.WaitAsync(Patience);
        hung.Calls.Should().Be(1, "the hung call is still in flight: the fast steps did not wait for its timeout");
        slow.Finished.IsCompleted.Should().BeFalse("the fast steps did not wait for the 4 s channel either");
        var lateness = fast.Sends.Select(s => (s.SentAt - s.DueAt).TotalMilliseconds).Order().ToList();
        output.WriteLine($"fast steps beside a hung and a 4 s channel: lateness p50 {lateness[lateness.Count / 2]:F1} ms, p99 {lateness[(int)(lateness.Count * 0.99)]:F1} ms, max {lateness[^1]:F1} ms, never early: {fast.Sends.All(s => s.SentAt >= s.DueAt)}");
        fast.Sends.Should().OnlyContain(s => s.SentAt >= s.DueAt, "a step never goes out before it is due");
        lateness[^1].Should().BeLessThan(2_000, "a fast step held behind the hung call would wait for its 3 s timeout");

        // At the send timeout the hung call is abandoned: a transient failure, retried with the same idempotency key.
        await hung.SecondCall.WaitAsync(Patience);
        hung.Keys.Distinct().Should().ContainSingle();
        var instance = (await engine.FindInstancesAsync(new JourneyInstanceQuery(CorrelationKey: "hung-1"))).Single();
        (await engine.GetTimelineAsync(instance.Id)).Should().Contain(r => r.Kind == JourneyRecordKind.RetryScheduled && r.Detail!.Contains("timed out after 3s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStops_WithinItsShutdownTimeout_WhileAChannelHangs()
    {
        var hung = new HungChannel();
        using var host = await StartHostAsync(hung, new SlowChannel(TimeSpan.FromSeconds(4)), new TimestampingChannel(1), sendTimeout: Duration.FromMinutes(10));
        var engine = host.Services.GetRequiredService<JourneyEngine>();
        await engine.PublishAsync(new Hang("hung-1"));
        await hung.Called.WaitAsync(Patience);

        var worker = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().Single();
        var stopwatch = Stopwatch.StartNew();
        using (var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await host.StopAsync(shutdown.Token);
        }

        output.WriteLine($"host stopped {stopwatch.ElapsedMilliseconds} ms after StopAsync, the hung call still in flight");
        worker.ExecuteTask!.IsCompleted.Should().BeTrue("the worker returned instead of being left running by the host");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));

        // The hung step's claim was released, not committed: it stays due and runs again, with the same key, next time.
        var instance = (await engine.FindInstancesAsync(new JourneyInstanceQuery(CorrelationKey: "hung-1"))).Single();
        instance.NextStepId.Should().Be("hang");
        (await engine.GetTimelineAsync(instance.Id)).Select(r => r.Kind).Should().Equal(JourneyRecordKind.Entered);
    }

    private static async Task<IHost> StartHostAsync(HungChannel hung, SlowChannel slow, TimestampingChannel fast, Duration sendTimeout)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddRecoveryJourneys(journeys => journeys
            .AddJourney(Journey.When<Hang>().Named("hung").CorrelateBy(e => e.Key).ForCustomer(_ => Shop.Alice).Send("hang", _ => new HungMessage()).Build())
            .AddJourney(Journey.When<Slow>().Named("slow").CorrelateBy(e => e.Key).ForCustomer(_ => Shop.Alice).Send("slow", _ => new SlowMessage()).Build())
            .AddJourney(Journey.When<Fast>().Named("fast").CorrelateBy(e => e.Key).ForCustomer(_ => Shop.Alice).After(Duration.FromMilliseconds(300)).Send("fast", _ => new FastMessage()).Build())
            .AddChannel<HungMessage>(hung)
            .AddChannel<SlowMessage>(slow)
            .AddChannel<FastMessage>(fast)
            .ConfigureEngine(e =>
            {
                e.SendTimeout = sendTimeout;
                e.Retry.FirstDelay = Duration.FromMilliseconds(200);
            }));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private sealed record Hang(string Key);

    private sealed record Slow(string Key);

    private sealed record Fast(string Key);

    [ChannelName("hung")]
    private sealed record HungMessage;

    [ChannelName("slow")]
    private sealed record SlowMessage;

    [ChannelName("fast")]
    private sealed record FastMessage;

    /// <summary>Never answers and ignores its cancellation token, as a provider whose connection hangs.</summary>
    private sealed class HungChannel : IChannel<HungMessage>
    {
        private readonly TaskCompletionSource _called = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _secondCall = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<DeliveryReceipt> _never = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public Task Called => _called.Task;

        public Task SecondCall => _secondCall.Task;

        public int Calls => Volatile.Read(ref _calls);

        public ConcurrentBag<string> Keys { get; } = [];

        public ValueTask<DeliveryReceipt> SendAsync(Delivery<HungMessage> delivery, CancellationToken cancellationToken)
        {
            Keys.Add(delivery.IdempotencyKey);
            (Interlocked.Increment(ref _calls) == 1 ? _called : _secondCall).TrySetResult();
            return new ValueTask<DeliveryReceipt>(_never.Task);
        }
    }

    /// <summary>Answers after a fixed real delay.</summary>
    private sealed class SlowChannel(TimeSpan delay) : IChannel<SlowMessage>
    {
        private readonly TaskCompletionSource _called = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Called => _called.Task;

        public Task Finished => _finished.Task;

        public async ValueTask<DeliveryReceipt> SendAsync(Delivery<SlowMessage> delivery, CancellationToken cancellationToken)
        {
            _called.TrySetResult();
            await Task.Delay(delay, CancellationToken.None);
            _finished.TrySetResult();
            return DeliveryReceipt.Sent();
        }
    }

    private sealed class TimestampingChannel(int expected) : IChannel<FastMessage>
    {
        private readonly TaskCompletionSource _allSent = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<(Instant DueAt, Instant SentAt)> Sends { get; } = new();

        public Task AllSent => _allSent.Task;

        public ValueTask<DeliveryReceipt> SendAsync(Delivery<FastMessage> delivery, CancellationToken cancellationToken)
        {
            Sends.Enqueue((delivery.DueAt, Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow())));
            if (Sends.Count >= expected)
            {
                _allSent.TrySetResult();
            }

            return ValueTask.FromResult(DeliveryReceipt.Sent());
        }
    }
}
