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

    [Fact]
    public async Task Timeline_StepsThatSendOneMessageEach_ReadBackAsWrittenAndEachReadNeverChanges()
    {
        var store = new InMemoryJourneyStore();
        var instance = await StartAsync(store, "order-1");
        var entered = new JourneyRecord(instance.Id, Journey, T0, JourneyRecordKind.Entered);
        var push = Sent(instance, "push-1", "push", T0 + Duration.FromMinutes(5));
        var email = Sent(instance, "email-1", "email", T0 + Duration.FromHours(1));
        var both = new[] { Sent(instance, "both-1", "push", T0 + Duration.FromHours(2)), Sent(instance, "both-1", "email", T0 + Duration.FromHours(2)) };
        var converted = new JourneyRecord(instance.Id, Journey, T0 + Duration.FromHours(3), JourneyRecordKind.Converted) { StepId = "both-1", Channel = "push+email", Detail = "OrderPaid", Value = 49.90m };

        // Each step as the engine writes it: the instance names the message it sent last, and its entry says the same.
        await StepAsync(store, push, "email-1", T0 + Duration.FromHours(1));
        var afterFirst = await store.GetTimelineAsync(instance.Id, CancellationToken.None);
        var customerAfterFirst = await store.GetCustomerRecordsAsync("customer-1", Instant.MinValue, CancellationToken.None);
        await StepAsync(store, email, "both-1", T0 + Duration.FromHours(2));
        var afterSecond = await store.GetTimelineAsync(instance.Id, CancellationToken.None);
        await store.UpdateActiveAsync(
            Journey,
            "order-1",
            current => new JourneyTransition(current with { LastSentStepId = "both-1", LastSentAt = both[0].At, LastSentChannel = "push+email", NextStepId = null, WakeUpAt = T0 + Duration.FromDays(1) }, both),
            CancellationToken.None);
        var afterThird = await store.GetTimelineAsync(instance.Id, CancellationToken.None);
        await store.UpdateActiveAsync(
            Journey,
            "order-1",
            current => new JourneyTransition(current with { Status = JourneyStatus.Converted, WakeUpAt = null, EndedAt = converted.At, EndReason = "OrderPaid" }, [converted]),
            CancellationToken.None);

        Assert.Equal([entered, push], afterFirst);
        Assert.Equal([entered, push], customerAfterFirst);
        Assert.Equal([entered, push, email], afterSecond);
        Assert.Equal([entered, push, email, .. both], afterThird);
        List<JourneyRecord> all = [entered, push, email, .. both, converted];
        Assert.Equal(all, await store.GetTimelineAsync(instance.Id, CancellationToken.None));
        Assert.Equal(all, await ReadAllAsync(store));
        Assert.Equal(all, await store.GetCustomerRecordsAsync("customer-1", Instant.MinValue, CancellationToken.None));
    }

    [Fact]
    public async Task Timeline_OneMessageSentThenHeldThenCompleted_ReadBackAsWritten()
    {
        var store = new InMemoryJourneyStore();
        var instance = await StartAsync(store, "order-1");
        var push = Sent(instance, "push-1", "push", T0 + Duration.FromMinutes(5));
        await StepAsync(store, push, "email-1", T0 + Duration.FromMinutes(10));
        var pausedAt = T0 + Duration.FromMinutes(6);
        var resumedAt = T0 + Duration.FromMinutes(30);
        await store.SetPauseAsync(new JourneyPause(Journey, pausedAt, AdmitsNewInstances: true), CancellationToken.None);

        // The pause's entry is appended to the timeline without a new state of the instance.
        await store.ClearPauseAsync(Journey, resumedAt, CancellationToken.None);
        var held = new JourneyRecord(instance.Id, Journey, resumedAt, JourneyRecordKind.Held)
        {
            StepId = "email-1",
            Detail = "held while the journey was paused, from 2026-03-02T09:06:00Z to 2026-03-02T09:30:00Z",
        };
        var completed = new JourneyRecord(instance.Id, Journey, resumedAt, JourneyRecordKind.Completed) { Detail = "completed" };
        await store.UpdateActiveAsync(
            Journey,
            "order-1",
            current => new JourneyTransition(current with { Status = JourneyStatus.Completed, NextStepId = null, WakeUpAt = null, EndedAt = resumedAt, EndReason = "completed" }, [completed]),
            CancellationToken.None);

        Assert.Equal(
            [new JourneyRecord(instance.Id, Journey, T0, JourneyRecordKind.Entered), push, held, completed],
            await store.GetTimelineAsync(instance.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Timeline_OneMessageSentThenCompletedWithoutAnEntry_ReadBackAsWritten()
    {
        var store = new InMemoryJourneyStore();
        var instance = await StartAsync(store, "order-1");
        var push = Sent(instance, "push-1", "push", T0 + Duration.FromMinutes(5));
        await StepAsync(store, push, null, T0 + Duration.FromDays(7));
        var completed = new JourneyRecord(instance.Id, Journey, T0 + Duration.FromDays(7), JourneyRecordKind.Completed) { Detail = "completed" };
        await store.UpdateActiveAsync(
            Journey,
            "order-1",
            current => new JourneyTransition(current with { Status = JourneyStatus.Completed, WakeUpAt = null, EndedAt = completed.At, EndReason = "completed" }, [completed]),
            CancellationToken.None);
        var entered = new JourneyRecord(instance.Id, Journey, T0, JourneyRecordKind.Entered);

        Assert.Equal([entered, push, completed], await store.GetTimelineAsync(instance.Id, CancellationToken.None));
        Assert.Equal([entered, push, completed], await ReadAllAsync(store));
        Assert.Equal(T0 + Duration.FromMinutes(5), (await store.GetAsync(instance.Id, CancellationToken.None))!.LastSentAt);
    }

    [Fact]
    public async Task Timeline_OneMessageSentThenInstanceRenamedOrOutOfRange_KeepsTheEntriesAsWritten()
    {
        var store = new InMemoryJourneyStore();
        var instance = await StartAsync(store, "order-1");
        var other = await StartAsync(store, "order-2");
        var push = Sent(instance, "push-1", "push", T0 + Duration.FromMinutes(5));
        var otherPush = Sent(other, "push-1", "push", T0 + Duration.FromMinutes(5));
        await StepAsync(store, push, "email-1", T0 + Duration.FromHours(1));
        await StepAsync(store, otherPush, "email-1", T0 + Duration.FromHours(1), key: "order-2");

        // The first renamed (the entries are of the journey they were written in), the second given a wake-up out of
        // the instants a slot keeps as values, then a message sent out of that range too.
        await store.UpdateActiveAsync(Journey, "order-1", current => new JourneyTransition(current with { JourneyName = "renamed", StartedAt = T0 + Duration.FromDays(1) }, []), CancellationToken.None);
        var far = Instant.FromUtc(2300, 1, 1, 0, 0);
        await store.UpdateActiveAsync(Journey, "order-2", current => new JourneyTransition(current with { WakeUpAt = far }, []), CancellationToken.None);
        var afterFar = await store.GetTimelineAsync(other.Id, CancellationToken.None);
        var longAgo = Sent(other, "email-1", "email", Instant.FromUtc(1600, 1, 1, 0, 0));
        await store.UpdateActiveAsync(Journey, "order-2", current => new JourneyTransition(current with { LastSentStepId = "email-1", LastSentAt = longAgo.At, LastSentChannel = "email" }, [longAgo]), CancellationToken.None);

        Assert.Equal([new JourneyRecord(instance.Id, Journey, T0, JourneyRecordKind.Entered), push], await store.GetTimelineAsync(instance.Id, CancellationToken.None));
        var otherEntered = new JourneyRecord(other.Id, Journey, T0, JourneyRecordKind.Entered);
        Assert.Equal([otherEntered, otherPush], afterFar);
        Assert.Equal([otherEntered, otherPush, longAgo], await store.GetTimelineAsync(other.Id, CancellationToken.None));
        Assert.Equal(longAgo.At, (await store.GetAsync(other.Id, CancellationToken.None))!.LastSentAt);
    }

    [Fact]
    public async Task Timeline_SentEntryUnlikeTheInstancesLastMessage_ReadBackAsWritten()
    {
        var store = new InMemoryJourneyStore();
        var instance = await StartAsync(store, "order-1");

        // Entries that say more, or other, than the instance's last-sent fields: each kept as written.
        JourneyRecord[] written =
        [
            Sent(instance, "push-1", "push", T0 + Duration.FromMinutes(5)) with { Detail = "a detail" },
            Sent(instance, "push-1", "push", T0 + Duration.FromMinutes(6)),
            Sent(instance, "push-1", null, T0 + Duration.FromMinutes(7)) with { Value = 1m },
            new(instance.Id, Journey, T0 + Duration.FromMinutes(8), JourneyRecordKind.Skipped) { StepId = "push-1", Channel = "push" },
        ];
        foreach (var record in written)
        {
            var fresh = new InMemoryJourneyStore();
            var started = await StartAsync(fresh, "order-1", instance.Id);
            await fresh.UpdateActiveAsync(
                Journey,
                "order-1",
                current => new JourneyTransition(current with { LastSentStepId = "push-1", LastSentAt = T0 + Duration.FromMinutes(5), LastSentChannel = "push" }, [record]),
                CancellationToken.None);
            Assert.Equal([new JourneyRecord(started.Id, Journey, T0, JourneyRecordKind.Entered), record], await fresh.GetTimelineAsync(started.Id, CancellationToken.None));
        }
    }

    [Fact]
    public async Task Timeline_ExitedBeforeItsFirstStep_ReadBackAsWritten()
    {
        // An instance that ends for good at its second entry (most paid checkouts) is kept with no room to grow.
        var store = new InMemoryJourneyStore();
        var instance = await StartAsync(store, "order-1");
        var exitedAt = T0 + Duration.FromMinutes(2);
        var exited = new JourneyRecord(instance.Id, Journey, exitedAt, JourneyRecordKind.Exited) { Detail = "Paid" };
        var ended = await store.ExitAsync(
            new RememberedExit(Journey, "order-1", "Paid", exitedAt, exitedAt + Duration.FromDays(1)),
            current => new JourneyTransition(current with { Status = JourneyStatus.Exited, NextStepId = null, WakeUpAt = null, StepDueAt = null, EndedAt = exitedAt, EndReason = "Paid" }, [exited]),
            CancellationToken.None);
        Assert.NotNull(ended);

        var entered = new JourneyRecord(instance.Id, Journey, T0, JourneyRecordKind.Entered);
        Assert.Equal([entered, exited], await store.GetTimelineAsync(instance.Id, CancellationToken.None));
        Assert.Equal([entered, exited], (await ReadAllAsync(store)).Where(r => r.InstanceId == instance.Id));
    }

    [Theory]
    [InlineData(1600)]
    [InlineData(2300)]
    public async Task Instance_StartedOutOfTheInstantsASlotKeepsAsValues_ReadBackAsWrittenThroughItsStep(int year)
    {
        // A slot keeps an instance's fields as values, instants in nanoseconds from 1678 to 2262: this start is outside.
        var store = new InMemoryJourneyStore();
        var startedAt = Instant.FromUtc(year, 1, 1, 0, 0);
        var instance = new JourneyInstance
        {
            Id = JourneyInstanceId.New(),
            JourneyName = Journey,
            JourneyVersion = 3,
            CorrelationKey = "order-1",
            CustomerId = "customer-1",
            TimeZone = "Europe/Paris",
            Trigger = StoredEvent.FromValue(new { OrderId = "order-1" }),
            StartedAt = startedAt,
            NextStepId = "push-1",
            WakeUpAt = T0,
        };
        var entered = new JourneyRecord(instance.Id, Journey, startedAt, JourneyRecordKind.Entered);
        var outcome = await store.TryStartAsync(new JourneyStart(new JourneyTransition(instance, [entered]), _ => throw new InvalidOperationException("not refused")), CancellationToken.None);
        Assert.True(outcome.IsStarted);
        Assert.Equal(instance, await store.GetAsync(instance.Id, CancellationToken.None));

        var claim = Assert.Single(await store.ClaimDueAsync(T0, 10, CancellationToken.None));
        Assert.Equal(instance, claim.Instance);
        var sent = Sent(instance, "push-1", "push", T0);
        var stepped = claim.Instance with { LastSentStepId = "push-1", LastSentAt = T0, LastSentChannel = "push", LastStepAt = T0, NextStepId = "email-1", WakeUpAt = T0 + Duration.FromHours(1), StepDueAt = T0 + Duration.FromHours(1) };
        await claim.CommitAsync(new JourneyTransition(stepped, [sent]), CancellationToken.None);

        Assert.Equal(stepped, await store.GetAsync(instance.Id, CancellationToken.None));
        Assert.Equal(stepped, Assert.Single(await store.FindAsync(new JourneyInstanceQuery(CorrelationKey: "order-1"), CancellationToken.None)));
        Assert.Equal([entered, sent], await store.GetTimelineAsync(instance.Id, CancellationToken.None));
        Assert.Equal(T0 + Duration.FromHours(1), await store.GetNextWakeUpAsync(CancellationToken.None));
    }

    private static JourneyRecord Sent(JourneyInstance instance, string stepId, string? channel, Instant at) =>
        new(instance.Id, Journey, at, JourneyRecordKind.Sent) { StepId = stepId, Channel = channel };

    /// <summary>A step that sent one message, as the engine writes it: the instance's last-sent fields say what its entry says.</summary>
    private static ValueTask<JourneyTransition?> StepAsync(InMemoryJourneyStore store, JourneyRecord sent, string? nextStepId, Instant wakeUpAt, string key = "order-1") =>
        store.UpdateActiveAsync(
            Journey,
            key,
            current => new JourneyTransition(
                current with { LastSentStepId = sent.StepId, LastSentAt = sent.At, LastSentChannel = sent.Channel, LastStepAt = sent.At, NextStepId = nextStepId, WakeUpAt = wakeUpAt, StepDueAt = nextStepId is null ? null : wakeUpAt },
                [sent]),
            CancellationToken.None);

    private static async Task<JourneyInstance> StartAsync(InMemoryJourneyStore store, string key, JourneyInstanceId? id = null)
    {
        var instance = new JourneyInstance
        {
            Id = id ?? JourneyInstanceId.New(),
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
