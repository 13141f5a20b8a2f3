using FluentAssertions;
using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.TestSupport;

/// <summary>Puts a customer's contact details in a durable store the way a journey does, for the erasure tests.</summary>
/// <remarks>Linked into the SQLite and PostgreSQL test projects (their .csproj files).</remarks>
internal static class ErasureFixture
{
    /// <summary>
    /// Starts an instance whose trigger holds <paramref name="customerId"/> (an e-mail address) and commits a step whose
    /// Sent entry names it: the address is then in the instance, its trigger and its timeline.
    /// </summary>
    public static async Task StartAndRunAsync(IJourneyStore store, Instant now, string customerId, string key)
    {
        var instance = new JourneyInstance
        {
            Id = JourneyInstanceId.New(),
            JourneyName = "checkout-recovery",
            JourneyVersion = 1,
            CorrelationKey = key,
            CustomerId = customerId,
            Trigger = StoredEvent.FromValue(new { OrderId = key, Email = customerId }),
            StartedAt = now,
            NextStepId = "step-1",
            WakeUpAt = now,
        };
        var entered = new JourneyRecord(instance.Id, instance.JourneyName, now, JourneyRecordKind.Entered);
        (await store.TryStartAsync(new JourneyStart(new JourneyTransition(instance, [entered]), _ => throw new InvalidOperationException("no exit")), CancellationToken.None))
            .IsStarted.Should().BeTrue();
        var claim = (await store.TryClaimAsync(instance.Id, now, CancellationToken.None))!;
        var sent = new JourneyRecord(instance.Id, instance.JourneyName, now, JourneyRecordKind.Sent) { Channel = "email", Detail = $"sent to {customerId}" };
        await claim.CommitAsync(new JourneyTransition(claim.Instance with { NextStepId = "step-2", WakeUpAt = now + Duration.FromHours(1) }, [sent]), CancellationToken.None);
    }
}
