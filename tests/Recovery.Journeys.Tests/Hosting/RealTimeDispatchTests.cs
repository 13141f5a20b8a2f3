using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Tests.Fixtures;
using Xunit.Abstractions;

namespace Recovery.Journeys.Tests;

/// <summary>
/// The hosted worker on the real clock. These tests wait for real sends (with a generous timeout), never sleep, and
/// do not assert on latency: the scheduler polls only once an hour here, so a send happens in time only if the
/// scheduler was woken by the engine at the due instant.
/// </summary>
public sealed class RealTimeDispatchTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task HostedWorker_SendsADueStepAfterItsDueInstant_NeverBefore()
    {
        var channel = new TimestampingPushChannel(expected: 1);
        var journey = Checkout().After(Duration.FromMilliseconds(300)).Push(p => p.Body("x")).Build();
        using var host = await StartHostAsync(journey, channel);
        var engine = host.Services.GetRequiredService<JourneyEngine>();

        await engine.PublishAsync(Shop.Abandoned());
        await channel.AllSent.WaitAsync(Patience);

        var sent = channel.Sends.Single();
        sent.SentAt.Should().BeGreaterThanOrEqualTo(sent.DueAt);
        output.WriteLine($"lateness: {(sent.SentAt - sent.DueAt).TotalMilliseconds:F1} ms");
    }

    [Fact]
    public async Task HostedWorker_WokenEarly_WhenEarlierWorkIsScheduledWhileItSleeps()
    {
        var channel = new TimestampingPushChannel(expected: 1);
        var journey = Checkout().After(Duration.FromMilliseconds(500)).Push(p => p.Body("x")).Build();
        var later = Journey.When<NewsletterSignedUp>().Named("later").CorrelateBy(e => e.Email).After(Duration.FromHours(1)).Do((_, _) => ValueTask.CompletedTask).Build();
        using var host = await StartHostAsync(journey, channel, later);
        var engine = host.Services.GetRequiredService<JourneyEngine>();

        await engine.PublishAsync(new NewsletterSignedUp("bob@example.com"));
        await engine.PublishAsync(Shop.Abandoned());
        await channel.AllSent.WaitAsync(Patience);

        channel.Sends.Should().ContainSingle().Which.Key.Should().Contain(":push-1");
    }

    [Fact]
    public async Task HostedWorker_RunsManyStepsInDueOrder()
    {
        const int Count = 50;
        var channel = new TimestampingPushChannel(expected: Count);
        var journey = Checkout().After(Duration.FromMilliseconds(200)).Push(p => p.Body("x")).Build();
        using var host = await StartHostAsync(journey, channel);
        var engine = host.Services.GetRequiredService<JourneyEngine>();

        for (var i = 0; i < Count; i++)
        {
            await engine.PublishAsync(Shop.Abandoned($"order-{i}"));
        }

        await channel.AllSent.WaitAsync(Patience);

        channel.Sends.Should().HaveCount(Count).And.OnlyContain(s => s.SentAt >= s.DueAt);
        var lateness = channel.Sends.Select(s => (s.SentAt - s.DueAt).TotalMilliseconds).Order().ToList();
        output.WriteLine($"lateness p50 {lateness[Count / 2]:F1} ms, max {lateness[^1]:F1} ms");
    }

    private static JourneyBuilder<CheckoutAbandoned> Checkout() =>
        Journey.When<CheckoutAbandoned>().Named("real-time").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer);

    private static async Task<IHost> StartHostAsync(JourneyDefinition journey, TimestampingPushChannel channel, JourneyDefinition? other = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddRecoveryJourneys(journeys =>
        {
            journeys.AddJourney(journey).AddChannel<PushMessage>(channel);
            if (other is not null)
            {
                journeys.AddJourney(other);
            }

            // Only the engine's wake-up signal can make a send happen within the test's patience.
            journeys.ConfigureScheduler(s => s.PollInterval = Duration.FromHours(1));
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private sealed class TimestampingPushChannel(int expected) : IChannel<PushMessage>
    {
        private readonly TaskCompletionSource _allSent = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<(string Key, Instant DueAt, Instant SentAt)> Sends { get; } = new();

        public Task AllSent => _allSent.Task;

        public ValueTask<DeliveryReceipt> SendAsync(Delivery<PushMessage> delivery, CancellationToken cancellationToken)
        {
            Sends.Enqueue((delivery.IdempotencyKey, delivery.DueAt, Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow())));
            if (Sends.Count >= expected)
            {
                _allSent.TrySetResult();
            }

            return ValueTask.FromResult(DeliveryReceipt.Sent());
        }
    }
}
