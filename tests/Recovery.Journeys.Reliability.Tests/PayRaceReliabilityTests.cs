using System.Collections.Concurrent;
using NodaTime;
using Recovery.Journeys.CrashWorker;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Xunit.Abstractions;

namespace Recovery.Journeys.Reliability.Tests;

/// <summary>
/// Payments committed within milliseconds of reminders' due times, while three worker processes send them on one
/// PostgreSQL schema: no reminder is sent after its order's payment was committed.
/// </summary>
/// <remarks>
/// Each send's start is stamped by the worker's channel; each payment's commit by the test, right after
/// <c>PublishAsync(OrderPaid)</c> returns, so the stamp is at or after the real commit. A send that started after that
/// stamp started after the payment was committed: a failure. Both stamps come from the same machine's clock.
/// </remarks>
[Collection(ReliabilityCollection.Name)]
public sealed class PostgreSqlPayRaceReliabilityTests(ITestOutputHelper output)
{
    private const int Orders = 1_000;
    private const int Workers = 3;
    private static readonly Duration PayNowDue = Duration.FromSeconds(3);
    private static readonly Duration LastCallDue = Duration.FromSeconds(4);

    [Fact]
    public async Task OrderPaid_CommittedWithinMillisecondsOfDueTimes_NoReminderSentAfterThePayment()
    {
        await using var database = await PostgreSqlReliabilityDatabase.CreateAsync();
        await database.CreateDeliveryTableAsync();
        var workers = Enumerable.Range(1, Workers).Select(n => WorkerProcess.Start($"worker-{n}", database.WorkerArguments($"worker-{n}", concurrency: 8))).ToList();
        var payments = new ConcurrentDictionary<string, Payment>();
        try
        {
            await using var store = (IAsyncDisposable)await database.OpenStoreAsync(maxConnections: 16);
            var engine = new JourneyEngine(ReliabilityJourneys.All, (IJourneyStore)store, new JourneyHostServices { Channels = new NoSendChannels() }, TimeProvider.System);

            // Orders go unpaid at a steady 250 a second, so that the workers send each reminder on time; every
            // order is paid within 20 ms either side of one of its two reminders' due time.
            var paying = new List<Task>();
            using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            for (var batch = 0; batch < Orders / 5; batch++)
            {
                var started = await Task.WhenAll(Enumerable.Range(batch * 5, 5).Select(async i =>
                {
                    var orderId = $"order-{i}";
                    var result = await engine.PublishAsync(new OrderUnpaid(orderId));
                    var instance = await ((IJourneyStore)store).GetAsync(result.Started.Single(), CancellationToken.None);
                    var due = instance!.StartedAt + (i % 2 == 0 ? PayNowDue : LastCallDue);
                    return (orderId, PayAt: due + Duration.FromMilliseconds((i * 7919 % 41) - 20), Due: due);
                }));
                paying.AddRange(started.Select(order => PayAtAsync(engine, order.orderId, order.PayAt, order.Due, payments)));
                await pace.WaitForNextTickAsync();
            }

            await Task.WhenAll(paying);
            await Poll.UntilAsync(async () => await database.CountActiveAsync() == 0, TimeSpan.FromSeconds(60), () => "every order's journey to end", workers);
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

        await CheckAsync(database, payments);
    }

    /// <summary>
    /// Publishes the payment at its instant. The timer is the test's stimulus (pay at due time ± a few ms), not a wait
    /// for something to happen.
    /// </summary>
    private static async Task PayAtAsync(JourneyEngine engine, string orderId, Instant payAt, Instant due, ConcurrentDictionary<string, Payment> payments)
    {
        var clock = TimeProvider.System;
        var wait = payAt - Instant.FromDateTimeOffset(clock.GetUtcNow());
        if (wait > Duration.Zero)
        {
            var fire = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var timer = clock.CreateTimer(_ => fire.TrySetResult(), null, wait.ToTimeSpan(), Timeout.InfiniteTimeSpan);
            await fire.Task;
        }

        var publishedAt = Instant.FromDateTimeOffset(clock.GetUtcNow());
        var result = await engine.PublishAsync(new OrderPaid(orderId));
        var committedBy = Instant.FromDateTimeOffset(clock.GetUtcNow());
        payments[orderId] = new Payment(due, publishedAt, committedBy, EndedTheJourney: result.Ended.Count == 1);
    }

    private async Task CheckAsync(PostgreSqlReliabilityDatabase database, IReadOnlyDictionary<string, Payment> payments)
    {
        payments.Should().HaveCount(Orders);
        var deliveries = await database.ReadDeliveriesAsync();
        await using var store = (IAsyncDisposable)await database.OpenStoreAsync();
        var journeys = (IJourneyStore)store;
        var instances = (await journeys.FindAsync(new JourneyInstanceQuery(ReliabilityJourneys.UnpaidOrder.Name), CancellationToken.None)).ToDictionary(i => i.Id.Value);
        instances.Should().HaveCount(Orders).And.OnlyContain(i => !i.Value.IsActive);

        var sendsAfterPayment = new List<string>();
        var sentBeforeThePaymentWasAsked = 0;
        var sentWhileThePaymentWaited = 0;
        var closestMargin = Duration.MaxValue;
        foreach (var delivery in deliveries)
        {
            var order = instances[delivery.InstanceId].CorrelationKey;
            var payment = payments[order];
            var startedAt = Instant.FromUnixTimeTicks(delivery.StartedAtTicks);
            if (startedAt > payment.CommittedBy)
            {
                sendsAfterPayment.Add($"{delivery.IdempotencyKey} ({order}) started {(startedAt - payment.CommittedBy).TotalMilliseconds:F1} ms after its payment was committed");
                continue;
            }

            closestMargin = Duration.Min(closestMargin, payment.CommittedBy - startedAt);
            if (startedAt < payment.PublishedAt)
            {
                sentBeforeThePaymentWasAsked++;
            }
            else
            {
                // The payment was published while this step held its claim: the exit waited for the commit.
                sentWhileThePaymentWaited++;
            }
        }

        // The store agrees: no 'sent' after a conversion in any timeline, and every delivery is a recorded send.
        var sentRecords = 0;
        foreach (var instance in instances.Values)
        {
            var timeline = await journeys.GetTimelineAsync(instance.Id, CancellationToken.None);
            var converted = timeline.ToList().FindIndex(r => r.Kind == JourneyRecordKind.Converted);
            if (converted >= 0)
            {
                timeline.Skip(converted + 1).Should().NotContain(r => r.Kind == JourneyRecordKind.Sent, $"{instance.CorrelationKey} was paid");
            }

            sentRecords += timeline.Count(r => r.Kind == JourneyRecordKind.Sent);
        }

        var paidWithinFive = payments.Values.Count(p => Duration.FromTicks(Math.Abs((p.CommittedBy - p.Due).BclCompatibleTicks)) <= Duration.FromMilliseconds(5));
        var prevented = payments.Values.Count(p => p.EndedTheJourney);
        var remindersPrevented = (2 * Orders) - deliveries.Select(d => d.IdempotencyKey).Distinct().Count();
        output.WriteLine(
            $"{Orders} orders paid at due time ± 20 ms while {Workers} worker processes sent their reminders: {deliveries.Count} reminders sent, " +
            $"{sendsAfterPayment.Count} after a committed payment; {prevented} payments ended a journey, {remindersPrevented} reminders were never sent; " +
            $"{paidWithinFive} payments committed within 5 ms of a due time; {sentWhileThePaymentWaited} reminders were being sent when their payment " +
            $"was published (the payment waited for the step's commit); the closest send started {closestMargin.TotalMilliseconds:F2} ms before its payment's commit returned.");

        sendsAfterPayment.Should().BeEmpty("no reminder may be sent after its order's payment was committed");
        deliveries.Select(d => d.IdempotencyKey).Should().OnlyHaveUniqueItems();
        sentRecords.Should().Be(deliveries.Count, "every reminder the channel saw is recorded as sent, once");
        sentBeforeThePaymentWasAsked.Should().BePositive();

        // The race happened: payments came within milliseconds of due times, some while their reminder was being sent
        // (the exit waited for the step's commit), and some in time to stop a reminder.
        paidWithinFive.Should().BePositive("some payments must be committed within 5 ms of a reminder's due time");
        sentWhileThePaymentWaited.Should().BePositive("some payments must arrive while their reminder is being sent");
        remindersPrevented.Should().BePositive("some payments must stop a reminder that was not yet sent");
        prevented.Should().Be(Orders, "every payment converts its journey, before or after its last reminder (the journey listens after it)");
    }

    private sealed record Payment(Instant Due, Instant PublishedAt, Instant CommittedBy, bool EndedTheJourney);
}
