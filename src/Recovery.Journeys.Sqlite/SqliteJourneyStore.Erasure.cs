using Microsoft.Data.Sqlite;
using Recovery.Journeys.Sqlite.Storage;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Sqlite;

// Erasure of a customer.
public sealed partial class SqliteJourneyStore
{
    /// <inheritdoc />
    public async ValueTask<int> EraseCustomerAsync(string customerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customerId);

        // No record may be written after the erasure: it waits for the claims on the customer's instances to end.
        return await _claims.RetryWhileHeldAsync(attemptToken => WriteAsync<(int, JourneyInstanceId?)>(async (connection, ct) =>
        {
            await using (var select = connection.CreateCommand())
            {
                select.CommandText = "SELECT id FROM journey_instances WHERE customer_id = @customer_id";
                select.Parameters.AddWithValue("@customer_id", customerId);
                await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var id = JourneyInstanceId.Parse(reader.GetString(0));
                    if (_claims.IsHeld(id))
                    {
                        return (0, id);
                    }
                }
            }

            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText =
                SqliteExits.ForgetCustomer +
                "DELETE FROM journey_records WHERE instance_id IN (SELECT id FROM journey_instances WHERE customer_id = @customer_id); " +
                "DELETE FROM journey_instances WHERE customer_id = @customer_id; SELECT changes();";
            delete.Parameters.AddWithValue("@customer_id", customerId);
            var count = Convert.ToInt32(await delete.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return (count, null);
        }, attemptToken), cancellationToken).ConfigureAwait(false);
    }
}
