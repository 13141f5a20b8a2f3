using NodaTime;
using Npgsql;
using Recovery.Journeys.Ports;
using Recovery.Journeys.PostgreSql.Storage;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.PostgreSql;

// Claims: row locks held by open transactions, each on a connection of its own.
public sealed partial class PostgreSqlJourneyStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Grants at most <see cref="PostgreSqlJourneyStoreOptions.MaxClaimsPerCall"/> claims, each on a connection of its own,
    /// and never more than three quarters of the pool held at once (<see cref="PostgreSqlJourneyStoreOptions.MaxPoolSize"/>).
    /// </remarks>
    public async ValueTask<IReadOnlyList<IJourneyClaim>> ClaimDueAsync(Instant now, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        var claims = new List<IJourneyClaim>();
        try
        {
            // Claims hold their connections: at most the claim budget of the pool, so that publishes and exits find one.
            var most = Math.Min(maxCount, _options.MaxClaimsPerCall);
            while (claims.Count < most
                && TryReserveClaim()
                && await ClaimAsync(_steps.ClaimDue, p => p.Add(new NpgsqlParameter<long> { TypedValue = now.ToUnixTimeTicks() }), cancellationToken).ConfigureAwait(false) is { } claim)
            {
                claims.Add(claim);
            }
        }
        catch
        {
            foreach (var claim in claims)
            {
                await claim.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        return claims;
    }

    /// <inheritdoc />
    public async ValueTask<IJourneyClaim?> TryClaimAsync(JourneyInstanceId id, Instant now, CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (!TryReserveClaim())
        {
            // The instance stays due: the engine claims it with the others once a claim ends.
            return null;
        }

        return await ClaimAsync(
            _rows.ClaimOne,
            p =>
            {
                p.Add(new NpgsqlParameter<Guid>("id", id.Value));
                p.Add(PostgreSqlRows.Ticks("now", now));
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Instances held by claims are passed over: reporting them due would make a scheduler spin on work it cannot claim.</remarks>
    public async ValueTask<Instant?> GetNextWakeUpAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var command = DataSource.CreateCommand(_rows.NextWakeUp);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long ticks ? Instant.FromUnixTimeTicks(ticks) : null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// <see cref="PostgreSqlJourneyStoreOptions.MaxClaimsPerCall"/>: each claim is a round trip of its own, on a connection
    /// of its own, so the engine keeps that many in flight at once, as that many clients would.
    /// </remarks>
    public int MaxClaimsInFlight => _options.MaxClaimsPerCall;

    /// <summary>Forgets a claim that ended (committed, released or lost), which frees its share of the claim budget.</summary>
    internal void Forget(PostgreSqlClaim claim)
    {
        if (_claims.TryRemove(claim, out _))
        {
            Interlocked.Decrement(ref _claimsHeld);
        }
    }

    /// <summary>
    /// Takes a share of the claim budget for a claim about to be made, atomically: concurrent claims, from one engine's
    /// claimants or from several engines, never hold more than the budget between them.
    /// </summary>
    private bool TryReserveClaim()
    {
        if (Interlocked.Increment(ref _claimsHeld) <= _claimBudget)
        {
            return true;
        }

        Interlocked.Decrement(ref _claimsHeld);
        return false;
    }

    /// <summary>Makes a claim the budget was reserved for (<see cref="TryReserveClaim"/>); gives the reservation back unless it claimed.</summary>
    private async Task<PostgreSqlClaim?> ClaimAsync(string sql, Action<NpgsqlParameterCollection> parameters, CancellationToken cancellationToken)
    {
        NpgsqlConnection connection;
        try
        {
            connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Decrement(ref _claimsHeld);
            throw;
        }

        try
        {
            // One round trip: the claim's transaction is begun in SQL (not with an NpgsqlTransaction) so that its
            // commit can travel in the same batch as the step's writes (PostgreSqlClaim.CommitAsync).
            await using var batch = new NpgsqlBatch(connection);
            batch.BatchCommands.Add(new NpgsqlBatchCommand(PostgreSqlClaim.Begin));
            var timeout = new NpgsqlBatchCommand(PostgreSqlStepStatements.ClaimTimeout);
            timeout.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _claimTimeout });
            batch.BatchCommands.Add(timeout);
            var select = new NpgsqlBatchCommand(sql);
            parameters(select.Parameters);
            batch.BatchCommands.Add(select);
            JourneyInstance? instance = null;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    instance = _rows.ReadInstance(reader);
                }
            }

            if (instance is not null)
            {
                var claim = new PostgreSqlClaim(this, connection, instance);
                _claims.TryAdd(claim, 0);
                return claim;
            }

            await using var rollback = new NpgsqlCommand(PostgreSqlClaim.Rollback, connection);
            await rollback.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Closing returns the connection to the pool, which rolls back a transaction left open.
            Interlocked.Decrement(ref _claimsHeld);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        Interlocked.Decrement(ref _claimsHeld);
        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }
}
