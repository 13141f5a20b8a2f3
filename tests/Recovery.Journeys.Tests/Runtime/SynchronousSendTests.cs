using Recovery.Journeys.Channels;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Runtime;

/// <summary>
/// A send that completes without waiting is finished without a state machine per layer: what a channel that answers,
/// or throws, before returning a task comes to is the same as for one that awaits.
/// </summary>
public sealed class SynchronousSendTests
{
    private static JourneyBuilder<CheckoutAbandoned> Checkout() =>
        Journey.When<CheckoutAbandoned>().Named("sync").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer);

    [Fact]
    public async Task AChannelThatThrowsBeforeReturning_IsRetried_WithTheSameIdempotencyKey()
    {
        var push = new ThrowingFirst(new InvalidOperationException("down"));
        using var harness = new JourneyTestHarness(
            [Checkout().After(5.Minutes()).Push("first", p => p.Body("x")).Build()],
            new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(push) });
        await harness.PublishAsync(Shop.Abandoned());

        await harness.AdvanceAsync(10.Minutes());

        (await harness.TimelineAsync("order-1")).Where(r => r.StepId is not null).Select(r => (r.Kind, r.Detail)).Should().Equal(
            (JourneyRecordKind.RetryScheduled, "attempt 1 of 3 failed: InvalidOperationException: down; retrying in 1m"),
            (JourneyRecordKind.Sent, null));
        push.Keys.Should().HaveCount(2).And.OnlyContain(k => k == push.Keys[0]);
    }

    [Fact]
    public async Task AChannelThatThrowsAPermanentFailureBeforeReturning_FailsTheStep_WithoutARetry()
    {
        var push = new ThrowingFirst(new PermanentDeliveryException("no such token"));
        using var harness = new JourneyTestHarness(
            [Checkout().After(5.Minutes()).Push("first", p => p.Body("x")).Build()],
            new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(push) });
        await harness.PublishAsync(Shop.Abandoned());

        await harness.AdvanceAsync(1.Hours());

        (await harness.TimelineAsync("order-1")).Where(r => r.StepId is not null).Select(r => r.Kind).Should().Equal(JourneyRecordKind.Failed);
        push.Keys.Should().ContainSingle();
    }

    [Fact]
    public async Task StepsOfTwoMessageKinds_EachReachTheirOwnChannel()
    {
        var push = new ScriptedChannel<PushMessage>((_, _) => ValueTask.FromResult(DeliveryReceipt.Sent()));
        var email = new ScriptedChannel<EmailMessage>((_, _) => ValueTask.FromResult(DeliveryReceipt.Sent()));
        using var harness = new JourneyTestHarness(
            [Checkout()
                .After(5.Minutes()).Push("one", p => p.Body("x"))
                .Then().After(5.Minutes()).Email("two", m => m.Subject("s").TextBody("t"))
                .Then().After(5.Minutes()).Push("three", p => p.Body("y"))
                .Build()],
            new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(push).Use(email) });
        await harness.PublishAsync(Shop.Abandoned());

        await harness.AdvanceAsync(1.Hours());

        push.Attempts.Select(d => d.StepId).Should().Equal("one", "three");
        email.Attempts.Select(d => d.StepId).Should().Equal("two");
    }

    /// <summary>A channel that is not async: its first call throws before returning, the next ones answer at once.</summary>
    private sealed class ThrowingFirst(Exception first) : IChannel<PushMessage>
    {
        public List<string> Keys { get; } = [];

        public ValueTask<DeliveryReceipt> SendAsync(Delivery<PushMessage> delivery, CancellationToken cancellationToken)
        {
            Keys.Add(delivery.IdempotencyKey);
            return Keys.Count == 1 ? throw first : ValueTask.FromResult(DeliveryReceipt.Sent());
        }
    }
}
