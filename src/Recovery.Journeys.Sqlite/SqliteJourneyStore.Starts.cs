using Microsoft.Data.Sqlite;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Sqlite.Storage;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Sqlite;

// Starts and exits: the writes that read and change one key under the store's one writer.
public sealed partial class SqliteJourneyStore
{
    /// <inheritdoc />
    /// <remarks>
    /// The store's one writer runs the whole start, reads and writes, in one transaction: no exit, start or claim can
    /// go between what it read and what it commits. When an instance it must end is held by a claim, it writes
    /// nothing, waits for the claim to end, and starts over on what the claim's commit left.
    /// </remarks>
    public async ValueTask<StartOutcome> TryStartAsync(JourneyStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        var outcome = await _claims.RetryWhileHeldAsync(
            attemptToken => WriteAsync((connection, ct) => TryStartOnceAsync(connection, start, ct), attemptToken),
            cancellationToken).ConfigureAwait(false);
        return outcome!;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Serialised with every start by the store's one writer: a start either committed before the exit (and the exit
    /// ends its instance) or reads the exit remembered. Waits for a claim on the active instance as
    /// <see cref="UpdateActiveAsync"/> does.
    /// </remarks>
    public async ValueTask<JourneyTransition?> ExitAsync(RememberedExit exit, Func<JourneyInstance, JourneyTransition?> end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exit);
        ArgumentNullException.ThrowIfNull(end);
        return await _claims.RetryWhileHeldAsync(attemptToken => WriteAsync<(JourneyTransition?, JourneyInstanceId?)>(async (connection, ct) =>
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            var active = await FindActiveAsync(connection, transaction, exit.JourneyName, exit.CorrelationKey, ct).ConfigureAwait(false);
            if (active is not null && _claims.IsHeld(active.Id))
            {
                return (null, active.Id);
            }

            var transition = active is null ? null : end(active);
            if (transition is not null)
            {
                CheckSameInstance(active!.Id, transition);
                await UpdateAsync(connection, transaction, transition, ct).ConfigureAwait(false);
            }

            await SqliteExits.RememberAsync(connection, transaction, exit with { CustomerId = active?.CustomerId }, ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return (transition, null);
        }, attemptToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One attempt at a start, under the write gate: its outcome, or the instance to end that a claim holds (then
    /// nothing was written).
    /// </summary>
    private async Task<(StartOutcome? Outcome, JourneyInstanceId? Held)> TryStartOnceAsync(SqliteConnection connection, JourneyStart start, CancellationToken cancellationToken)
    {
        var instance = start.Entry.Instance;
        var now = instance.StartedAt;
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await SqliteExits.ForgetExpiredAsync(connection, transaction, now, cancellationToken).ConfigureAwait(false);
        var exit = start.IsStale ? null : await SqliteExits.FindAsync(connection, transaction, instance.JourneyName, instance.CorrelationKey, cancellationToken).ConfigureAwait(false);
        if (start.IsStale || (exit is not null && start.IsRefusedBy(exit, now)))
        {
            await InsertAsync(connection, transaction, start.Refusal(exit), cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (StartOutcome.Refused(exit), null);
        }

        var existing = await FindActiveAsync(connection, transaction, instance.JourneyName, instance.CorrelationKey, cancellationToken).ConfigureAwait(false);
        if (existing is not null && start.Replace is null)
        {
            return (StartOutcome.AlreadyActive(existing.Id), null);
        }

        // Every instance this start ends must be free of claims before anything changes.
        var rivals = new List<(JourneyInstance Instance, Func<JourneyInstance, JourneyTransition?> End)>();
        foreach (var supersede in start.Supersede)
        {
            if (await FindActiveAsync(connection, transaction, supersede.JourneyName, supersede.CorrelationKey, cancellationToken).ConfigureAwait(false) is { } rival)
            {
                rivals.Add((rival, supersede.End));
            }
        }

        var toEnd = rivals.ConvertAll(r => r.Instance);
        if (existing is not null)
        {
            toEnd.Add(existing);
        }

        if (toEnd.Find(i => _claims.IsHeld(i.Id)) is { } held)
        {
            return (null, held.Id);
        }

        var ended = new List<JourneyTransition>();
        if (existing is not null)
        {
            var replaced = start.Replace!(existing);
            CheckSameInstance(existing.Id, replaced);
            await UpdateAsync(connection, transaction, replaced, cancellationToken).ConfigureAwait(false);
            ended.Add(replaced);
        }

        await InsertAsync(connection, transaction, start.Entry, cancellationToken).ConfigureAwait(false);
        foreach (var (rival, end) in rivals)
        {
            // An instance listed twice, or the one just replaced, is ended once.
            if (ended.Exists(e => e.Instance.Id == rival.Id) || end(rival) is not { } transition)
            {
                continue;
            }

            CheckSameInstance(rival.Id, transition);
            await UpdateAsync(connection, transaction, transition, cancellationToken).ConfigureAwait(false);
            ended.Add(transition);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (StartOutcome.Started(ended), null);
    }
}
