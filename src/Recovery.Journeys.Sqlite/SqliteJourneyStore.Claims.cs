using Microsoft.Data.Sqlite;
using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Sqlite.Storage;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Sqlite;

// Claims: due instances held in this process until committed or released.
public sealed partial class SqliteJourneyStore
{
    /// <summary>The due instances, earliest first, passing over paused journeys: the due index drives it (a test checks the plan).</summary>
    internal const string ClaimDueSql =
        $"SELECT {SqliteRows.InstanceColumns} FROM journey_instances WHERE wake_up_at <= @now AND {SqlitePauses.NotPaused} " +
        "ORDER BY wake_up_at, seq LIMIT @limit";

    /// <summary>The earliest wake-ups, passing over paused journeys; the caller skips those it holds.</summary>
    internal const string NextWakeUpSql =
        $"SELECT id, wake_up_at FROM journey_instances WHERE wake_up_at IS NOT NULL AND {SqlitePauses.NotPaused} ORDER BY wake_up_at, seq LIMIT @limit";

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<IJourneyClaim>> ClaimDueAsync(Instant now, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);

        // Under the write gate, so that no write slips between reading an instance and holding it. Due is any wake-up,
        // whatever the status: an active instance's next step, or an ended instance's exit actions.
        return await WriteAsync<IReadOnlyList<IJourneyClaim>>(async (connection, ct) =>
        {
            var heldCount = _claims.Count;
            await using var command = connection.CreateCommand();
            command.CommandText = ClaimDueSql;
            command.Parameters.AddWithValue("@now", now.ToUnixTimeTicks());
            command.Parameters.AddWithValue("@limit", maxCount + heldCount);
            var claims = new List<IJourneyClaim>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (claims.Count < maxCount && await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                if (TryHold(SqliteRows.ReadInstance(reader, _eventOptions)) is { } claim)
                {
                    claims.Add(claim);
                }
            }

            return claims;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IJourneyClaim?> TryClaimAsync(JourneyInstanceId id, Instant now, CancellationToken cancellationToken) =>
        await WriteAsync<IJourneyClaim?>(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {SqliteRows.InstanceColumns} FROM journey_instances WHERE id = @id AND wake_up_at <= @now AND {SqlitePauses.NotPaused}";
            command.Parameters.AddWithValue("@id", id.ToString());
            command.Parameters.AddWithValue("@now", now.ToUnixTimeTicks());
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? TryHold(SqliteRows.ReadInstance(reader, _eventOptions)) : null;
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<Instant?> GetNextWakeUpAsync(CancellationToken cancellationToken)
    {
        var held = _claims.Instances();

        // Held instances are skipped: reporting them due would make a scheduler spin on work it cannot claim.
        return await ReadAsync<Instant?>(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = NextWakeUpSql;
            command.Parameters.AddWithValue("@limit", held.Count + 1);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                if (!held.Contains(JourneyInstanceId.Parse(reader.GetString(0))))
                {
                    return Instant.FromUnixTimeTicks(reader.GetInt64(1));
                }
            }

            return null;
        }, cancellationToken).ConfigureAwait(false);
    }

    private Claim? TryHold(JourneyInstance instance)
    {
        var claim = new Claim(this, instance);
        return _claims.TryHold(instance.Id, claim) ? claim : null;
    }

    private async ValueTask CommitAsync(Claim claim, JourneyTransition transition, CancellationToken cancellationToken)
    {
        CheckSameInstance(claim.Instance.Id, transition);
        await WriteAsync(async (connection, ct) =>
        {
            if (!_claims.Holds(claim.Instance.Id, claim))
            {
                throw new InvalidOperationException($"The claim on journey instance {claim.Instance.Id} was already committed or released.");
            }

            await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct).ConfigureAwait(false))
            {
                await UpdateAsync(connection, transaction, transition, ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
            }

            // Released inside the write gate, so that a waiting exit, or a cap waiting for the customer, reads the committed state.
            _claims.Release(claim.Instance.Id, claim);
            claim.ReleaseCustomer();
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    private sealed class Claim(SqliteJourneyStore store, JourneyInstance instance) : IJourneyClaim
    {
        private string? _customer;

        public JourneyInstance Instance { get; } = instance;

        /// <inheritdoc />
        /// <remarks>The customer is held in this process (every contender is), until the claim is committed or released.</remarks>
        public async ValueTask LockCustomerAsync(string customerId, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(customerId);
            if (_customer is not null && _customer != customerId)
            {
                throw new InvalidOperationException($"The claim on journey instance {Instance.Id} already holds another customer.");
            }

            await store._customers.AcquireAsync(customerId, this, cancellationToken).ConfigureAwait(false);
            _customer = customerId;
        }

        public void ReleaseCustomer()
        {
            if (_customer is { } customer)
            {
                store._customers.Release(customer, this);
            }
        }

        public ValueTask CommitAsync(JourneyTransition transition, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(transition);
            return store.CommitAsync(this, transition, cancellationToken);
        }

        public ValueTask DisposeAsync()
        {
            store._claims.Release(Instance.Id, this);
            ReleaseCustomer();
            return ValueTask.CompletedTask;
        }
    }
}
