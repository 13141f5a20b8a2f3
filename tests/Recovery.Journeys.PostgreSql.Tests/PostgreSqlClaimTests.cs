using NodaTime;
using Npgsql;
using Recovery.Journeys.Ports;
using Recovery.Journeys.PostgreSql.Storage;
using Recovery.Journeys.Storage;
using Recovery.Journeys.TestSupport;
using Recovery.Journeys.Testing;

namespace Recovery.Journeys.PostgreSql.Tests;

/// <summary>Claims between app instances: two stores on one schema, as two processes would have.</summary>
public sealed class PostgreSqlClaimTests : TwoStoresOnOneSchema
{
    private PostgreSqlJourneyStore Worker1 => First;

    private PostgreSqlJourneyStore Worker2 => Second;

    [Fact]
    public async Task Claim_WorkerConnectionDies_AnotherInstanceTakesTheSameStepOver()
    {
        var instance = await StartAsync(Worker1, "order-1");
        var dying = (PostgreSqlClaim)(await Worker1.ClaimDueAsync(Clock.Now, 10, CancellationToken.None)).Single();
        (await Worker2.ClaimDueAsync(Clock.Now, 10, CancellationToken.None)).Should().BeEmpty("worker 1 holds the only due instance");

        // What a SIGKILL does to worker 1: its connection closes and the server rolls its transaction back.
        await TestDatabase.TerminateBackendAsync(dying.ProcessId);

        var takeover = (await Worker2.ClaimDueAsync(Clock.Now, 10, CancellationToken.None)).Should().ContainSingle().Subject;
        takeover.Instance.Id.Should().Be(instance.Id);
        takeover.Instance.NextStepId.Should().Be("step-1", "the retry runs the same step, so it carries the same idempotency key");
        var lateCommit = async () => await dying.CommitAsync(Sent(dying.Instance), CancellationToken.None);
        await lateCommit.Should().ThrowAsync<JourneyClaimLostException>();
        await takeover.CommitAsync(Sent(takeover.Instance), CancellationToken.None);
        (await Worker1.GetTimelineAsync(instance.Id, CancellationToken.None)).Select(r => r.Kind).Should().Equal([JourneyRecordKind.Sent], "only the takeover's commit was recorded");
    }

    [Fact]
    public async Task Claim_IdleLongerThanMaxClaimDuration_IsEndedByTheServer()
    {
        await using var hung = await TestDatabase.CreateStoreAsync(Schema, o => o.MaxClaimDuration = Duration.FromMilliseconds(300));
        var instance = await StartAsync(Worker1, "order-1");
        var claim = (await hung.ClaimDueAsync(Clock.Now, 10, CancellationToken.None)).Single();

        // Waits on the row lock, which the server releases when it ends the idle claim: no sleep, a bounded wait.
        await using (var waiter = await TestPostgres.OpenConnectionAsync())
        {
            await using var lockRow = new NpgsqlCommand($"SELECT 1 FROM {Schema}.journey_instances WHERE id = @id FOR UPDATE", waiter) { CommandTimeout = 30 };
            lockRow.Parameters.AddWithValue("id", instance.Id.Value);
            await lockRow.ExecuteScalarAsync().WaitAsync(Timeout);
        }

        await using var takeover = (await Worker2.ClaimDueAsync(Clock.Now, 10, CancellationToken.None)).Should().ContainSingle().Subject;
        takeover.Instance.Id.Should().Be(instance.Id);
        var lateCommit = async () => await claim.CommitAsync(Sent(claim.Instance), CancellationToken.None);
        await lateCommit.Should().ThrowAsync<JourneyClaimLostException>();
    }

    [Fact]
    public async Task Dispose_StoreWithClaimsHeld_ReleasesThemForTheOtherInstances()
    {
        var stopping = await TestDatabase.CreateStoreAsync(Schema);
        var instance = await StartAsync(Worker1, "order-1");
        var claim = (await stopping.ClaimDueAsync(Clock.Now, 10, CancellationToken.None)).Single();

        await stopping.DisposeAsync();

        await using var takeover = (await Worker2.ClaimDueAsync(Clock.Now, 10, CancellationToken.None)).Should().ContainSingle().Subject;
        takeover.Instance.Id.Should().Be(instance.Id);
        var lateCommit = async () => await claim.CommitAsync(Sent(claim.Instance), CancellationToken.None);
        await lateCommit.Should().ThrowAsync<InvalidOperationException>("the claim was released when its store was disposed");
    }

    [Fact]
    public async Task ClaimDue_ManyDue_GrantsAtMostMaxClaimsPerCallEachOnItsOwnConnection()
    {
        await using var capped = await TestDatabase.CreateStoreAsync(Schema, o => o.MaxClaimsPerCall = 3);
        for (var i = 0; i < 5; i++)
        {
            await StartAsync(Worker1, $"order-{i}");
        }

        var first = await capped.ClaimDueAsync(Clock.Now, 100, CancellationToken.None);
        var second = await capped.ClaimDueAsync(Clock.Now, 100, CancellationToken.None);

        first.Should().HaveCount(3);
        second.Should().HaveCount(2);
        first.Concat(second).Cast<PostgreSqlClaim>().Select(c => c.ProcessId).Should().OnlyHaveUniqueItems();
        foreach (var claim in first.Concat(second))
        {
            await claim.DisposeAsync();
        }
    }

    private async Task<JourneyInstance> StartAsync(PostgreSqlJourneyStore store, string key)
    {
        var instance = new JourneyInstance
        {
            Id = JourneyInstanceId.New(),
            JourneyName = "checkout-recovery",
            JourneyVersion = 1,
            CorrelationKey = key,
            Trigger = StoredEvent.FromValue(new { OrderId = key }),
            StartedAt = Clock.Now,
            NextStepId = "step-1",
            WakeUpAt = Clock.Now,
        };
        var start = new JourneyStart(new JourneyTransition(instance, []), _ => throw new InvalidOperationException("no exit is remembered in these tests"));
        (await store.TryStartAsync(start, CancellationToken.None)).IsStarted.Should().BeTrue();
        return instance;
    }

    private JourneyTransition Sent(JourneyInstance instance) => new(
        instance with { NextStepId = "step-2", WakeUpAt = Clock.Now + Duration.FromHours(1), LastStepAt = Clock.Now },
        [new JourneyRecord(instance.Id, instance.JourneyName, Clock.Now, JourneyRecordKind.Sent) { StepId = "step-1" }]);
}
