using Microsoft.Extensions.Logging;
using Npgsql;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.PostgreSql.Storage;

/// <summary>
/// A claim: an open transaction on a connection of its own that holds the instance's row <c>FOR UPDATE</c> until it is
/// committed or released. When the connection dies, the server ends the transaction and the claim is gone.
/// </summary>
/// <remarks>
/// The transaction is begun and ended in SQL, so that a claim costs one round trip (begin, lease, select) and its commit
/// another (update, records, commit), both sent as one batch. A batch stops at its first error and PostgreSQL then
/// aborts the transaction, so the commit is all or nothing.
/// </remarks>
internal sealed partial class PostgreSqlClaim(PostgreSqlJourneyStore store, NpgsqlConnection connection, JourneyInstance instance)
    : IJourneyClaim
{
    internal const string Begin = "BEGIN ISOLATION LEVEL READ COMMITTED";

    internal const string Rollback = "ROLLBACK";

    private int _done;
    private string? _customer;

    public JourneyInstance Instance { get; } = instance;

    /// <summary>The server process that holds the row lock; killing it ends the claim (tests use that).</summary>
    internal int ProcessId { get; } = connection.ProcessID;

    /// <inheritdoc />
    /// <remarks>
    /// A transaction-scoped advisory lock on the customer, taken in the claim's transaction: another claim's, on any app
    /// instance, waits in the server until this claim's commit or rollback, and then reads the records it committed.
    /// </remarks>
    public async ValueTask LockCustomerAsync(string customerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        if (_customer is not null)
        {
            if (_customer != customerId)
            {
                throw new InvalidOperationException($"The claim on journey instance {Instance.Id} already holds another customer.");
            }

            return;
        }

        await using var command = new NpgsqlCommand(store.Rows.LockCustomerSends, connection);
        command.Parameters.Add(PostgreSqlRows.Text("customer_id", customerId));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        _customer = customerId;
    }

    public async ValueTask CommitAsync(JourneyTransition transition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transition);
        PostgreSqlJourneyStore.CheckSameInstance(Instance.Id, transition);
        if (Interlocked.Exchange(ref _done, 1) == 1)
        {
            throw new InvalidOperationException($"The claim on journey instance {Instance.Id} was already committed or released.");
        }

        try
        {
            await using var batch = new NpgsqlBatch(connection);
            var update = new NpgsqlBatchCommand(store.Steps.Update);
            PostgreSqlStepStatements.AddUpdateParameters(update.Parameters, transition.Instance);
            batch.BatchCommands.Add(update);
            foreach (var record in transition.Records)
            {
                var insert = new NpgsqlBatchCommand(store.Steps.InsertRecord);
                PostgreSqlStepStatements.AddRecordParameters(insert.Parameters, record);
                batch.BatchCommands.Add(insert);
            }

            batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

            // The row is locked by this transaction, so the update found it; a transaction the server ended fails the
            // batch instead (above). Checked all the same, after the fact, as the contract requires.
            if (update.RecordsAffected != 1)
            {
                throw new JourneyClaimLostException(Instance.Id);
            }
        }
        catch (Exception e) when (IsLost(e))
        {
            // The server ended the transaction (the connection was killed, or the claim outlived MaxClaimDuration):
            // the row lock is gone, and another worker may already run the step again.
            Log.ClaimLost(store.Logger, e, Instance.JourneyName, Instance.Id);
            throw new JourneyClaimLostException(Instance.Id);
        }
        finally
        {
            await CloseAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1)
        {
            return;
        }

        try
        {
            await using (var rollback = new NpgsqlCommand(Rollback, connection))
            {
                await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }

            if (Instance.WakeUpAt is { } due)
            {
                // Due again now: tell the other instances, or they wait for their next poll.
                await store.NotifyAsync(connection, due).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsLost(e))
        {
            // Already ended by the server; nothing to release.
        }
        finally
        {
            await CloseAsync().ConfigureAwait(false);
        }
    }

    private bool IsLost(Exception e) =>
        e is NpgsqlException && (connection.FullState.HasFlag(System.Data.ConnectionState.Broken) || e is PostgresException { SqlState: "25P03" or "57P01" or "57P02" or "57P03" })
        || e is InvalidOperationException && connection.FullState is System.Data.ConnectionState.Closed or System.Data.ConnectionState.Broken;

    private async Task CloseAsync()
    {
        store.Forget(this);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "The claim on journey {Journey} instance {InstanceId} was lost before its commit: its connection ended")]
        public static partial void ClaimLost(ILogger logger, Exception exception, string journey, JourneyInstanceId instanceId);
    }
}
