using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Tests.Storage;

/// <summary>
/// The in-memory store's indexes and queues grow in chunks of their own (thousands of entries each): past several
/// chunks, with entries removed and their places used again, every instance is still found by id and by key, the
/// due ones are claimed earliest first, and the exits remembered still refuse a new start.
/// </summary>
public sealed class InMemoryStoreGrowthTests
{
    private const string Journey = "checkout-recovery";
    private const int Count = 10_000;
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 2, 9, 0);

    [Fact]
    public async Task ManyInstances_FoundByIdAndKey_ClaimedEarliestFirst()
    {
        var store = new InMemoryJourneyStore();
        var random = new Random(15);
        var wakeUps = Enumerable.Range(0, Count).Select(_ => T0 + Duration.FromSeconds(random.Next(1, 1_000_000))).ToArray();
        var instances = new JourneyInstance[Count];
        for (var i = 0; i < Count; i++)
        {
            instances[i] = await StartAsync(store, $"order-{i}", $"customer-{i % 7}", wakeUps[i]);
        }

        // Every other order ends (out of the active index), every third one of those ended by a remembered exit.
        for (var i = 0; i < Count; i += 2)
        {
            if (i % 3 == 0)
            {
                var exit = new RememberedExit(Journey, $"order-{i}", "OrderPaid", T0, T0 + Duration.FromDays(30));
                Assert.NotNull(await store.ExitAsync(exit, current => End(current), CancellationToken.None));
            }
            else
            {
                Assert.NotNull(await store.UpdateActiveAsync(Journey, $"order-{i}", current => End(current), CancellationToken.None));
            }
        }

        for (var i = 0; i < Count; i++)
        {
            var read = await store.GetAsync(instances[i].Id, CancellationToken.None);
            Assert.Equal(i % 2 == 0 ? JourneyStatus.Exited : JourneyStatus.Active, read!.Status);
            var again = await TryStartAsync(store, $"order-{i}", "customer-0", T0 + Duration.FromSeconds(1));
            var expected = i % 2 == 1 ? "active" : i % 3 == 0 ? "refused" : "started";
            Assert.Equal(expected, again.IsStarted ? "started" : again.IsRefused ? "refused" : "active");
        }

        // The still active orders, claimed earliest first (the restarted ones wake at T0 + 1 s: first of all).
        var restarted = Enumerable.Range(0, Count).Count(i => i % 2 == 0 && i % 3 != 0);
        var expectedOrder = Enumerable.Range(0, Count).Where(i => i % 2 == 1).Select(i => wakeUps[i]).Order().ToList();
        var claimed = new List<Instant>();
        while (await store.ClaimDueAsync(Instant.MaxValue, 100, CancellationToken.None) is { Count: > 0 } claims)
        {
            foreach (var claim in claims)
            {
                claimed.Add(claim.Instance.WakeUpAt!.Value);
                await claim.CommitAsync(End(claim.Instance), CancellationToken.None);
            }
        }

        Assert.Equal(Enumerable.Repeat(T0 + Duration.FromSeconds(1), restarted).Concat(expectedOrder), claimed);
        // Every ended order started again or left a refused instance for the record.
        Assert.Equal(Count + (Count / 2), (await store.FindAsync(new JourneyInstanceQuery(JourneyName: Journey), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task ManyInstances_ErasedCustomersPlacesUsedAgain_StillFound()
    {
        var store = new InMemoryJourneyStore();
        for (var i = 0; i < Count; i++)
        {
            await StartAsync(store, $"order-{i}", $"customer-{i % 2}", T0 + Duration.FromMinutes(i));
        }

        Assert.Equal(Count / 2, await store.EraseCustomerAsync("customer-0", CancellationToken.None));
        var newer = new List<JourneyInstance>();
        for (var i = 0; i < Count; i += 2)
        {
            newer.Add(await StartAsync(store, $"order-{i}", "customer-2", T0 + Duration.FromMinutes(i)));
        }

        foreach (var instance in newer)
        {
            Assert.Equal(instance.CorrelationKey, (await store.GetAsync(instance.Id, CancellationToken.None))!.CorrelationKey);
        }

        var active = await store.FindAsync(new JourneyInstanceQuery(JourneyName: Journey), CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"order-{i}").Order(), active.Select(a => a.CorrelationKey).Order());
        Assert.Equal(Count / 2, (await store.FindAsync(new JourneyInstanceQuery(CustomerId: "customer-2"), CancellationToken.None)).Count);
    }

    private static JourneyTransition End(JourneyInstance current) =>
        new(current with { Status = JourneyStatus.Exited, NextStepId = null, WakeUpAt = null, EndedAt = T0, EndReason = "OrderPaid" }, []);

    private static async Task<JourneyInstance> StartAsync(InMemoryJourneyStore store, string key, string customerId, Instant wakeUpAt)
    {
        var (outcome, instance) = await TryStartWithAsync(store, key, customerId, wakeUpAt);
        Assert.True(outcome.IsStarted);
        return instance;
    }

    private static async Task<StartOutcome> TryStartAsync(InMemoryJourneyStore store, string key, string customerId, Instant wakeUpAt) =>
        (await TryStartWithAsync(store, key, customerId, wakeUpAt)).Outcome;

    private static async Task<(StartOutcome Outcome, JourneyInstance Instance)> TryStartWithAsync(InMemoryJourneyStore store, string key, string customerId, Instant wakeUpAt)
    {
        var instance = new JourneyInstance
        {
            Id = JourneyInstanceId.New(),
            JourneyName = Journey,
            JourneyVersion = 1,
            CorrelationKey = key,
            CustomerId = customerId,
            Trigger = StoredEvent.FromValue(new { OrderId = key }),
            StartedAt = T0,
            NextStepId = "push-1",
            WakeUpAt = wakeUpAt,
        };
        var entered = new JourneyTransition(instance, [new JourneyRecord(instance.Id, Journey, T0, JourneyRecordKind.Entered)]);
        var refused = instance with { Status = JourneyStatus.Exited, NextStepId = null, WakeUpAt = null, EndedAt = T0, EndReason = "refused" };
        var outcome = await store.TryStartAsync(new JourneyStart(entered, _ => new JourneyTransition(refused, [])), CancellationToken.None);
        return (outcome, instance);
    }
}
