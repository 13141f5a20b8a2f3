using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Engine;

/// <summary>
/// The due-step loop with a store that asks for several claims in flight at once (<see cref="IConcurrentClaimStore"/>,
/// as PostgreSQL's does): how many are in flight, observed by the store, and that each step still runs once.
/// </summary>
public sealed class ConcurrentClaimsTests
{
    private const int Checkouts = 20;

    [Theory]
    [InlineData(4, 16, 4)]
    [InlineData(8, 2, 2)]
    public async Task AStoreWithConcurrentClaims_HasThatManyOneInstanceClaimsInFlightAtOnce_AndEachStepRunsOnce(int storeClaims, int maxConcurrentSteps, int expected)
    {
        var store = new OverlapStore(storeClaims, together: expected);
        using var harness = await StartedAsync(store, maxConcurrentSteps);

        var ran = await harness.Engine.RunDueAsync();

        ran.Should().Be(Checkouts);
        store.MostInFlight.Should().Be(expected, "the first claims wait until that many are in flight, and no more may be");
        store.AskedFor.Should().OnlyContain(n => n == 1);
        harness.Sent.Select(s => s.IdempotencyKey).Should().OnlyHaveUniqueItems().And.HaveCount(Checkouts);
        (await store.ClaimDueAsync(Instant.MaxValue, 100, CancellationToken.None)).Should().HaveCount(Checkouts, "every instance waits for its second step, none is held");
    }

    [Fact]
    public async Task AStoreWithoutConcurrentClaims_IsAskedForABatch_OneCallAtATime()
    {
        var store = new OverlapStore(1, together: 1);
        using var harness = await StartedAsync(store, maxConcurrentSteps: 16);

        var ran = await harness.Engine.RunDueAsync();

        ran.Should().Be(Checkouts);
        store.MostInFlight.Should().Be(1);
        store.AskedFor[0].Should().Be(16);
        harness.Sent.Select(s => s.IdempotencyKey).Should().OnlyHaveUniqueItems().And.HaveCount(Checkouts);
    }

    [Fact]
    public async Task ConcurrentClaims_ACommitThrows_TheRunThrowsIt_AndLeavesNoInstanceHeld()
    {
        var store = new OverlapStore(4, together: 4) { FailFirstCommit = true };
        using var harness = await StartedAsync(store, maxConcurrentSteps: 16);

        var run = async () => await harness.Engine.RunDueAsync();

        await run.Should().ThrowAsync<IOException>();
        // Every instance whose step did not commit is due again at once: the failed one and any not run yet.
        var due = await store.ClaimDueAsync(harness.Clock.Now, 100, CancellationToken.None);
        due.Should().HaveCount(Checkouts - store.Commits);
        harness.Sent.Should().HaveCount(store.Commits + 1, "the failed step's send happened; nothing else was sent without its commit");
    }

    private static async Task<JourneyTestHarness> StartedAsync(OverlapStore store, int maxConcurrentSteps)
    {
        var harness = new JourneyTestHarness(
            [TestJourneys.CheckoutRecovery()],
            new JourneyTestHarnessOptions { Store = store, ConfigureEngine = o => o.MaxConcurrentSteps = maxConcurrentSteps });
        for (var i = 0; i < Checkouts; i++)
        {
            await harness.PublishAsync(Shop.Abandoned($"order-{i}"));
        }

        // Every first step is due; the publications' own runs found nothing due yet.
        harness.Clock.Advance(5.Minutes());
        store.Arm();
        return harness;
    }

    /// <summary>
    /// The in-memory store, saying it wants <paramref name="claimsInFlight"/> claims in flight; once armed, its first
    /// claim calls wait until <paramref name="together"/> are in flight at once, so that the most it sees is the most the
    /// loop keeps in flight, whatever the threads' timing.
    /// </summary>
    private sealed class OverlapStore(int claimsInFlight, int together) : DelegatingStore, IConcurrentClaimStore
    {
        private readonly TaskCompletionSource _together = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<int> _askedFor = [];
        private bool _armed;
        private int _inFlight;
        private int _mostInFlight;
        private int _commits;
        private int _failed;

        public int MaxClaimsInFlight => claimsInFlight;

        public bool FailFirstCommit { get; init; }

        public int MostInFlight => Volatile.Read(ref _mostInFlight);

        public int Commits => Volatile.Read(ref _commits);

        public IReadOnlyList<int> AskedFor
        {
            get
            {
                lock (_askedFor)
                {
                    return [.. _askedFor];
                }
            }
        }

        public void Arm() => _armed = true;

        public override async ValueTask<IReadOnlyList<IJourneyClaim>> ClaimDueAsync(Instant now, int maxCount, CancellationToken cancellationToken)
        {
            if (!_armed)
            {
                return await Inner.ClaimDueAsync(now, maxCount, cancellationToken);
            }

            lock (_askedFor)
            {
                _askedFor.Add(maxCount);
                _mostInFlight = Math.Max(_mostInFlight, ++_inFlight);
                if (_inFlight >= together)
                {
                    _together.TrySetResult();
                }
            }

            try
            {
                // Bounded, so that a loop keeping fewer in flight fails the assertion instead of hanging the test.
                await _together.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                return [.. (await Inner.ClaimDueAsync(now, maxCount, cancellationToken)).Select(c => new Claim(this, c))];
            }
            finally
            {
                lock (_askedFor)
                {
                    _inFlight--;
                }
            }
        }

        private sealed class Claim(OverlapStore store, IJourneyClaim inner) : IJourneyClaim
        {
            public JourneyInstance Instance => inner.Instance;

            public ValueTask LockCustomerAsync(string customerId, CancellationToken cancellationToken) => inner.LockCustomerAsync(customerId, cancellationToken);

            public async ValueTask CommitAsync(JourneyTransition transition, CancellationToken cancellationToken)
            {
                if (store.FailFirstCommit && Interlocked.Exchange(ref store._failed, 1) == 0)
                {
                    throw new IOException("disk full");
                }

                await inner.CommitAsync(transition, cancellationToken);
                Interlocked.Increment(ref store._commits);
            }

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }
}
