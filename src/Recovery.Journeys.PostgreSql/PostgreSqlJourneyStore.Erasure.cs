using System.Data;
using Npgsql;
using Recovery.Journeys.PostgreSql.Storage;

namespace Recovery.Journeys.PostgreSql;

// Erasure of a customer.
public sealed partial class PostgreSqlJourneyStore
{
    /// <inheritdoc />
    public async ValueTask<int> EraseCustomerAsync(string customerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        await using (var lockCustomer = new NpgsqlCommand(_rows.LockCustomer, connection, transaction))
        {
            lockCustomer.Parameters.Add(PostgreSqlRows.Text("customer_id", customerId));
            await lockCustomer.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int erased;
        await using (var erase = new NpgsqlCommand(_rows.Erase, connection, transaction))
        {
            erase.Parameters.Add(PostgreSqlRows.Text("customer_id", customerId));
            erased = (int)(long)(await erase.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return erased;
    }
}
