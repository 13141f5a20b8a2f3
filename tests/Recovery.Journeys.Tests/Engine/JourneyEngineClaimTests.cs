using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Engine;

/// <summary>How the engine treats claims when a commit fails: none is left held, and a lost claim is not an error.</summary>
public sealed class JourneyEngineClaimTests
{
    [Fact]
    public async Task RunDue_CommitThrows_ReleasesEveryOtherClaimOfTheBatch()
    {
        var store = new FailingCommitStore(new IOException("disk full"));
        using var harness = new JourneyTestHarness([TestJourneys.CheckoutRecovery()], new JourneyTestHarnessOptions { Store = store });
        await harness.PublishAsync(Shop.Abandoned("order-1"));
        await harness.PublishAsync(Shop.Abandoned("order-2"));
        harness.Clock.Advance(5.Minutes());

        var run = async () => await harness.Engine.RunDueAsync();

        await run.Should().ThrowAsync<IOException>();
        var claims = await store.ClaimDueAsync(harness.Clock.Now, 10, CancellationToken.None);
        claims.Select(c => c.Instance.CorrelationKey).Should().BeEquivalentTo(["order-1", "order-2"], "a failed batch must not leave its other claims held");
    }

    [Fact]
    public async Task RunDue_ClaimLostOnCommit_RunsTheOtherSteps()
    {
        var store = new FailingCommitStore(null);
        using var harness = new JourneyTestHarness([TestJourneys.CheckoutRecovery()], new JourneyTestHarnessOptions { Store = store });
        await harness.PublishAsync(Shop.Abandoned("order-1"));
        await harness.PublishAsync(Shop.Abandoned("order-2"));
        harness.Clock.Advance(5.Minutes());

        var ran = await harness.Engine.RunDueAsync();

        // The fake loses the claim without another worker taking it, so this engine retries it: same idempotency key.
        ran.Should().Be(3);
        var keys = harness.Sent.Select(s => s.IdempotencyKey).ToList();
        keys.Should().HaveCount(3).And.Subject.Distinct().Should().HaveCount(2);
        var timelines = await Task.WhenAll(new[] { "order-1", "order-2" }.Select(harness.TimelineAsync));
        timelines.Should().AllSatisfy(t => t.Select(r => r.Kind).Should().Equal(JourneyRecordKind.Entered, JourneyRecordKind.Sent));
    }

    /// <summary>The in-memory store, whose first commit fails with the given exception (a lost claim when null).</summary>
    private sealed class FailingCommitStore(Exception? failure) : DelegatingStore
    {
        private int _commits;

        public override async ValueTask<IReadOnlyList<IJourneyClaim>> ClaimDueAsync(Instant now, int maxCount, CancellationToken cancellationToken) =>
            [.. (await Inner.ClaimDueAsync(now, maxCount, cancellationToken)).Select(c => new Claim(this, c))];

        public override async ValueTask<IJourneyClaim?> TryClaimAsync(JourneyInstanceId id, Instant now, CancellationToken cancellationToken) =>
            await Inner.TryClaimAsync(id, now, cancellationToken) is { } claim ? new Claim(this, claim) : null;

        private sealed class Claim(FailingCommitStore store, IJourneyClaim inner) : IJourneyClaim
        {
            public JourneyInstance Instance => inner.Instance;

            public ValueTask LockCustomerAsync(string customerId, CancellationToken cancellationToken) => inner.LockCustomerAsync(customerId, cancellationToken);

            public ValueTask CommitAsync(JourneyTransition transition, CancellationToken cancellationToken) =>
                Interlocked.Increment(ref store._commits) == 1
                    ? throw (store.FailureFor(Instance))
                    : inner.CommitAsync(transition, cancellationToken);

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }

        private Exception FailureFor(JourneyInstance instance) => failure ?? new JourneyClaimLostException(instance.Id);
    }
}
