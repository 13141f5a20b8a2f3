using NodaTime;
using Npgsql;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.PostgreSql.Storage;

/// <summary>
/// The writes of one store operation in its transaction (instances created and changed, their records, the exit
/// remembered, expired exits forgotten) and the "work is due" notification they call for, sent in one round trip.
/// </summary>
/// <remarks>
/// The notification goes with the earliest wake-up the writes create or move, whatever the instance's status: an
/// instance ended with exit actions to run is due too. PostgreSQL delivers it at commit, and not at all on rollback.
/// </remarks>
internal sealed class PostgreSqlWriteBatch(PostgreSqlJourneyStore store, NpgsqlConnection connection, NpgsqlTransaction transaction)
{
    private readonly List<NpgsqlBatchCommand> _commands = [];
    private readonly List<(NpgsqlBatchCommand Command, JourneyInstanceId Id)> _updates = [];
    private Instant? _wakeUp;

    /// <summary>Creates an instance with its first records.</summary>
    public void Insert(JourneyTransition transition)
    {
        var insert = new NpgsqlBatchCommand(store.Rows.Insert);
        PostgreSqlRows.AddInstanceParameters(insert.Parameters, transition.Instance, all: true);
        _commands.Add(insert);
        AddRecords(transition.Records);
        WakesUpAt(transition.Instance.WakeUpAt);
    }

    /// <summary>Changes an instance read as <paramref name="before"/>, and appends its records.</summary>
    public void Update(JourneyInstance before, JourneyTransition transition)
    {
        PostgreSqlJourneyStore.CheckSameInstance(before.Id, transition);
        var update = new NpgsqlBatchCommand(store.Rows.Update);
        PostgreSqlRows.AddInstanceParameters(update.Parameters, transition.Instance, all: false);
        _commands.Add(update);
        _updates.Add((update, before.Id));
        AddRecords(transition.Records);
        if (transition.Instance.WakeUpAt != before.WakeUpAt)
        {
            WakesUpAt(transition.Instance.WakeUpAt);
        }
    }

    /// <summary>Remembers an exit, merged with the one already remembered for its journey and key.</summary>
    public void Remember(RememberedExit exit)
    {
        var remember = new NpgsqlBatchCommand(store.Rows.RememberExit);
        remember.Parameters.Add(PostgreSqlRows.Text("journey_name", exit.JourneyName));
        remember.Parameters.Add(PostgreSqlRows.Text("correlation_key", exit.CorrelationKey));
        remember.Parameters.Add(PostgreSqlRows.Text("event_type", exit.EventType));
        remember.Parameters.Add(PostgreSqlRows.Ticks("at", exit.At));
        remember.Parameters.Add(PostgreSqlRows.Ticks("expires_at", exit.ExpiresAt));
        remember.Parameters.Add(PostgreSqlRows.Text("customer_id", exit.CustomerId));
        _commands.Add(remember);
    }

    /// <summary>Deletes a few exits expired at <paramref name="now"/>.</summary>
    public void ForgetExpiredExits(Instant now)
    {
        var forget = new NpgsqlBatchCommand(store.Rows.ForgetExpiredExits);
        forget.Parameters.Add(PostgreSqlRows.Ticks("now", now));
        forget.Parameters.Add(new NpgsqlParameter<int>("batch", PostgreSqlRows.ForgetExpiredBatch));
        _commands.Add(forget);
    }

    /// <summary>Sends the writes, and the notification if they call for one.</summary>
    /// <exception cref="JourneyClaimLostException">An instance to change was not found.</exception>
    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        if (_wakeUp is { } due)
        {
            _commands.Add(store.NotifyCommand(due));
        }

        if (_commands.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var command in _commands)
        {
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        // The operation holds the rows it changes, so each update finds its row; checked all the same, before the commit.
        foreach (var (update, id) in _updates)
        {
            if (update.RecordsAffected != 1)
            {
                throw new JourneyClaimLostException(id);
            }
        }
    }

    private void AddRecords(IReadOnlyList<JourneyRecord> records)
    {
        foreach (var record in records)
        {
            var insert = new NpgsqlBatchCommand(store.Rows.InsertRecord);
            PostgreSqlRows.AddRecordParameters(insert.Parameters, record);
            _commands.Add(insert);
        }
    }

    private void WakesUpAt(Instant? wakeUpAt)
    {
        if (wakeUpAt is { } at && (_wakeUp is not { } earliest || at < earliest))
        {
            _wakeUp = at;
        }
    }
}
