using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Tests.Storage;

/// <summary>
/// The in-memory store keeps timeline entries in a compact form of its own (no object per entry): every entry read
/// back must equal the one written, whatever it holds, through every read, and a timeline read never changes after.
/// </summary>
public sealed class InMemoryTimelineTests
{
    private const string Journey = "checkout-recovery";
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 2, 9, 0);

    [Fact]
    public async Task Timeline_EntriesOfEveryShape_ReadBackEqualInOrder()
    {
        var store = new InMemoryJourneyStore();
        var instance = await StartAsync(store, "order-1");
        var other = JourneyInstanceId.New();
        List<JourneyRecord> written =
        [
            new(instance.Id, Journey, T0, JourneyRecordKind.Entered),
            new(instance.Id, Journey, T0 + Duration.FromMinutes(5), JourneyRecordKind.Sent) { StepId = "push-1", Channel = "push" },
            new(instance.Id, Journey, T0 + Duration.FromMinutes(6), JourneyRecordKind.Skipped) { StepId = "email-1", Channel = "email", Detail = "no e-mail address" },
            new(instance.Id, Journey, T0 + Duration.FromMinutes(7), JourneyRecordKind.Deferred) { Detail = "quiet hours" },
            new(instance.Id, Journey, T0 + Duration.FromMinutes(8), JourneyRecordKind.Assigned) { Value = 12.5m },
            new(instance.Id, Journey, T0 + Duration.FromMinutes(9), JourneyRecordKind.Assigned) { StepId = "x", Channel = "holdout", Detail = "journey", Value = 1m },
            new(other, Journey, T0 + Duration.FromMinutes(10), JourneyRecordKind.Sent) { StepId = "push-1" },
            new(instance.Id, "another-journey", T0 + Duration.FromMinutes(11), JourneyRecordKind.Sent),
            new(instance.Id, Journey, Instant.FromUtc(1600, 1, 1, 0, 0), JourneyRecordKind.Failed) { Detail = "long ago" },
            new(instance.Id, Journey, Instant.FromUtc(2300, 1, 1, 0, 0) + Duration.FromNanoseconds(1), JourneyRecordKind.Held),
            new(instance.Id, Journey, Instant.FromUtc(1970, 1, 1, 0, 0) - Duration.FromNanoseconds(1), JourneyRecordKind.Resumed) { Channel = "wait" },
            new(instance.Id, Journey, T0 + Duration.FromNanoseconds(123_456_789), (JourneyRecordKind)200),
        ];

        // One at a time, then several in one transition, then two more in the transition that ends the instance.
        foreach (var record in written.Skip(1).Take(4))
        {
            await store.UpdateActiveAsync(Journey, "order-1", current => new JourneyTransition(current, [record]), CancellationToken.None);
        }

        await store.UpdateActiveAsync(Journey, "order-1", current => new JourneyTransition(current, [.. written.Skip(5)]), CancellationToken.None);
        var last = new JourneyRecord(instance.Id, Journey, T0 + Duration.FromMinutes(59), JourneyRecordKind.Sent) { StepId = "push-2", Channel = "push" };
        var converted = new JourneyRecord(instance.Id, Journey, T0 + Duration.FromHours(1), JourneyRecordKind.Converted) { StepId = "push-2", Channel = "push", Detail = "OrderPaid", Value = 49.90m };
        var exited = new JourneyRecord(instance.Id, Journey, T0 + Duration.FromHours(1), JourneyRecordKind.Exited) { Detail = "OrderPaid", Value = 3m };
        var ended = instance with { Status = JourneyStatus.Converted, NextStepId = null, WakeUpAt = null, EndedAt = T0 + Duration.FromHours(1), EndReason = "OrderPaid" };
        await store.UpdateActiveAsync(Journey, "order-1", _ => new JourneyTransition(ended, [last, converted, exited]), CancellationToken.None);
        written.AddRange([last, converted, exited]);

        var timeline = await store.GetTimelineAsync(instance.Id, CancellationToken.None);
        Assert.Equal(written, timeline);
        Assert.Equal(written.OrderBy(r => r.At), await ReadAllAsync(store));
        Assert.Equal(written.OrderBy(r => r.At), await store.GetCustomerRecordsAsync("customer-1", Instant.MinValue, CancellationToken.None));
        Assert.Equal(49.90m, timeline[^2].Value);
        Assert.Equal("OrderPaid", timeline[^2].Detail);
        Assert.Equal("push", timeline[^2].Channel);
        Assert.Null(timeline[^1].Channel);
    }

    [Fact]
    public async Task Timeline_ReadBeforeLaterEntries_NeverChanges()
    {
        var store = new InMemoryJourneyStore();
        var instance = await StartAsync(store, "order-1");
        var first = await store.GetTimelineAsync(instance.Id, CancellationToken.None);
        var sent = new JourneyRecord(instance.Id, Journey, T0 + Duration.FromMinutes(5), JourneyRecordKind.Sent) { StepId = "push-1", Channel = "push" };

        await store.UpdateActiveAsync(Journey, "order-1", current => new JourneyTransition(current, [sent]), CancellationToken.None);
        var second = await store.GetTimelineAsync(instance.Id, CancellationToken.None);
        for (var i = 0; i < 9; i++)
        {
            var more = sent with { At = sent.At + Duration.FromMinutes(i + 1) };
            await store.UpdateActiveAsync(Journey, "order-1", current => new JourneyTransition(current, [more]), CancellationToken.None);
        }

        Assert.Equal([new JourneyRecord(instance.Id, Journey, T0, JourneyRecordKind.Entered)], first);
        Assert.Equal([new JourneyRecord(instance.Id, Journey, T0, JourneyRecordKind.Entered), sent], second);
        Assert.Equal(11, (await store.GetTimelineAsync(instance.Id, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Timeline_InstanceRenamedOrRestarted_KeepsTheEntriesAsWritten()
    {
        var store = new InMemoryJourneyStore();
        var instance = await StartAsync(store, "order-1");
        var sent = new JourneyRecord(instance.Id, Journey, T0 + Duration.FromMinutes(5), JourneyRecordKind.Sent) { StepId = "push-1", Channel = "push" };
        await store.UpdateActiveAsync(Journey, "order-1", current => new JourneyTransition(current, [sent]), CancellationToken.None);

        // A store is handed the next state whole: one whose journey and start differ must not rewrite the entries kept.
        var moved = instance with { JourneyName = "renamed", StartedAt = T0 + Duration.FromDays(1), Status = JourneyStatus.Exited, WakeUpAt = null, NextStepId = null };
        await store.UpdateActiveAsync(Journey, "order-1", _ => new JourneyTransition(moved, []), CancellationToken.None);

        Assert.Equal([new JourneyRecord(instance.Id, Journey, T0, JourneyRecordKind.Entered), sent], await store.GetTimelineAsync(instance.Id, CancellationToken.None));
    }

    private static async Task<JourneyInstance> StartAsync(InMemoryJourneyStore store, string key)
    {
        var instance = new JourneyInstance
        {
            Id = JourneyInstanceId.New(),
            JourneyName = Journey,
            JourneyVersion = 1,
            CorrelationKey = key,
            CustomerId = "customer-1",
            Trigger = StoredEvent.FromValue(new { OrderId = key }),
            StartedAt = T0,
            NextStepId = "push-1",
            WakeUpAt = T0 + Duration.FromMinutes(5),
        };
        var entered = new JourneyTransition(instance, [new JourneyRecord(instance.Id, Journey, T0, JourneyRecordKind.Entered)]);
        var outcome = await store.TryStartAsync(new JourneyStart(entered, _ => throw new InvalidOperationException("not refused")), CancellationToken.None);
        Assert.True(outcome.IsStarted);
        return instance;
    }

    private static async Task<List<JourneyRecord>> ReadAllAsync(InMemoryJourneyStore store)
    {
        var records = new List<JourneyRecord>();
        await foreach (var record in store.ReadRecordsAsync(new JourneyRecordQuery(), CancellationToken.None))
        {
            records.Add(record);
        }

        return records;
    }
}
