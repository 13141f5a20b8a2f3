using Microsoft.Data.Sqlite;
using Recovery.Journeys.Sqlite.Storage;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Sqlite;

// Erasure of a customer.
public sealed partial class SqliteJourneyStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Leaves no copy of the erased rows in the files: the store's writer has <c>secure_delete</c> on, so the deleted
    /// rows' bytes (and their index entries) are overwritten with zeros, and after the commit it checkpoints the
    /// write-ahead log into the database and truncates it (<c>wal_checkpoint(TRUNCATE)</c>), so the log's older page
    /// images, which still hold the rows, are gone too. A read running at that moment keeps the log from being
    /// truncated; the next erasure's checkpoint, or the next one SQLite runs itself, finishes the job.
    /// </remarks>
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
            await TruncateWalAsync(connection, ct).ConfigureAwait(false);
            return (count, null);
        }, attemptToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies the write-ahead log into the database and truncates it to zero bytes, so the log keeps no erased page.</summary>
    private static async Task TruncateWalAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        await checkpoint.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
