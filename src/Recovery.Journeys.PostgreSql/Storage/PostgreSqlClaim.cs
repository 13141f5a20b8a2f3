using Microsoft.Extensions.Logging;
using Npgsql;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.PostgreSql.Storage;

/// <summary>
/// A claim: an open transaction on a connection of its own that holds the instance's row <c>FOR UPDATE</c> until it is
/// committed or released. When the connection dies, the server ends the transaction and the claim is gone.
/// </summary>
internal sealed partial class PostgreSqlClaim(PostgreSqlJourneyStore store, NpgsqlConnection connection, NpgsqlTransaction transaction, JourneyInstance instance)
    : IJourneyClaim
{
    private int _done;

    public JourneyInstance Instance { get; } = instance;

    /// <summary>The server process that holds the row lock; killing it ends the claim (tests use that).</summary>
    internal int ProcessId { get; } = connection.ProcessID;

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
            await PostgreSqlJourneyStore.UpdateAsync(connection, transaction, store.Rows, transition, cancellationToken).ConfigureAwait(false);
            await store.WriteRecordsAndNotifyAsync(connection, transaction, transition.Records, wakeUpAt: null, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
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
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
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
        await transaction.DisposeAsync().ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "The claim on journey {Journey} instance {InstanceId} was lost before its commit: its connection ended")]
        public static partial void ClaimLost(ILogger logger, Exception exception, string journey, JourneyInstanceId instanceId);
    }
}
