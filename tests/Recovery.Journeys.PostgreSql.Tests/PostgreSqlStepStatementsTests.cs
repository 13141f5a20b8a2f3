using System.Text.Json;
using NodaTime;
using Npgsql;
using Recovery.Journeys.PostgreSql.Storage;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.PostgreSql.Tests;

/// <summary>
/// The step path's statements with positional parameters bind, place by place, what the store's named statements bind
/// by name; a numbering follows the order it is given.
/// </summary>
public sealed class PostgreSqlStepStatementsTests
{
    private static readonly PostgreSqlRows Rows = new("rj_steps", new JsonSerializerOptions());

    [Fact]
    public void Positional_NumbersEachNameByItsPlaceInTheOrder()
    {
        PostgreSqlStepStatements.Positional("UPDATE t SET a = @a, b = @b WHERE id = @id AND a <> @a", ["id", "b", "a"])
            .Should().Be("UPDATE t SET a = $3, b = $2 WHERE id = $1 AND a <> $3");
    }

    [Fact]
    public void Positional_NameMissingFromTheOrder_Throws()
    {
        var act = () => PostgreSqlStepStatements.Positional("SELECT @a, @b", ["a"]);

        act.Should().Throw<InvalidOperationException>().WithMessage("*@b*");
    }

    [Fact]
    public void StepStatements_HaveNoNamedParameterLeft()
    {
        var steps = new PostgreSqlStepStatements(Rows);

        foreach (var sql in new[] { steps.ClaimDue, steps.Update, steps.InsertRecord, PostgreSqlStepStatements.ClaimTimeout })
        {
            sql.Should().NotContain("@");
        }
    }

    [Fact]
    public void AddUpdateParameters_BindsInOrderWhatTheNamedUpdateBindsByName()
    {
        var at = Instant.FromUtc(2026, 12, 1, 12, 0);
        var instance = new JourneyInstance
        {
            Id = JourneyInstanceId.New(),
            JourneyName = "checkout-recovery",
            JourneyVersion = 1,
            CorrelationKey = "order-1",
            Trigger = StoredEvent.FromValue(new { OrderId = "order-1" }),
            StartedAt = at,
            Status = JourneyStatus.Completed,
            NextStepId = null,
            WakeUpAt = null,
            LastStepAt = at + Duration.FromMinutes(5),
            LastSentStepId = "email-reminder",
            EndedAt = at + Duration.FromMinutes(6),
            EndReason = "completed",
            StepAttempt = 2,
            StepProgress = "half",
            LastSentAt = at + Duration.FromMinutes(7),
            LastSentChannel = "email",
            StepDueAt = at + Duration.FromMinutes(8),
        };
        var named = new NpgsqlCommand().Parameters;
        PostgreSqlRows.AddInstanceParameters(named, instance, all: false);
        var positional = new NpgsqlCommand().Parameters;
        PostgreSqlStepStatements.AddUpdateParameters(positional, instance);

        positional.Select(p => p.ParameterName).Should().AllBe(string.Empty);
        positional.Select(p => p.Value).Should().Equal(PostgreSqlStepStatements.UpdateOrder.Select(name => named[name].Value));
        PostgreSqlStepStatements.UpdateOrder.Should().BeEquivalentTo(named.Select(p => p.ParameterName));
    }

    [Fact]
    public void AddRecordParameters_BindsInOrderWhatTheNamedInsertBindsByName()
    {
        var record = new JourneyRecord(JourneyInstanceId.New(), "checkout-recovery", Instant.FromUtc(2026, 12, 1, 12, 0), JourneyRecordKind.Sent)
        {
            StepId = "push-reminder",
            Channel = "push",
            Detail = null,
            Value = 12.5m,
        };
        var named = new NpgsqlCommand().Parameters;
        PostgreSqlRows.AddRecordParameters(named, record);
        var positional = new NpgsqlCommand().Parameters;
        PostgreSqlStepStatements.AddRecordParameters(positional, record);

        positional.Select(p => p.Value).Should().Equal(PostgreSqlStepStatements.RecordOrder.Select(name => named[name].Value));
        PostgreSqlStepStatements.RecordOrder.Should().BeEquivalentTo(named.Select(p => p.ParameterName));
    }
}
