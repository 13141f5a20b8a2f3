using Microsoft.Data.Sqlite;
using NodaTime;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Sqlite.Storage;

/// <summary>The exits remembered per journey and key: the rows of <c>journey_exits</c> (schema version 3).</summary>
internal static class SqliteExits
{
    /// <summary>How many expired exits one start forgets: enough to keep up with the exits remembered, never a long delete.</summary>
    public const int ForgetBatch = 16;

    /// <summary>
    /// Forgets the exits remembered for a customer and for the keys of the customer's instances: run before the
    /// instances are deleted, in the same transaction.
    /// </summary>
    public const string ForgetCustomer =
        "DELETE FROM journey_exits WHERE (journey_name, correlation_key) IN (" +
        "SELECT journey_name, correlation_key FROM journey_exits WHERE customer_id = @customer_id " +
        "UNION SELECT journey_name, correlation_key FROM journey_instances WHERE customer_id = @customer_id);";

    /// <summary>The exit remembered for a journey and key, expired or not, or <see langword="null"/>.</summary>
    public static async Task<RememberedExit?> FindAsync(SqliteConnection connection, SqliteTransaction transaction, string journeyName, string correlationKey, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT event_type, at, expires_at, customer_id FROM journey_exits WHERE journey_name = @journey_name AND correlation_key = @correlation_key";
        command.Parameters.AddWithValue("@journey_name", journeyName);
        command.Parameters.AddWithValue("@correlation_key", correlationKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new RememberedExit(journeyName, correlationKey, reader.GetString(0), Instant.FromUnixTimeTicks(reader.GetInt64(1)), Instant.FromUnixTimeTicks(reader.GetInt64(2)))
        {
            CustomerId = reader.IsDBNull(3) ? null : reader.GetString(3),
        };
    }

    /// <summary>
    /// Remembers an exit, merged with the one already remembered for its key: the latest instant (and its event type),
    /// the furthest expiry, and the customer of <paramref name="exit"/> or else the one already known.
    /// </summary>
    public static async Task RememberAsync(SqliteConnection connection, SqliteTransaction transaction, RememberedExit exit, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "INSERT INTO journey_exits (journey_name, correlation_key, event_type, at, expires_at, customer_id) " +
            "VALUES (@journey_name, @correlation_key, @event_type, @at, @expires_at, @customer_id) " +
            "ON CONFLICT (journey_name, correlation_key) DO UPDATE SET " +
            "event_type = CASE WHEN excluded.at >= at THEN excluded.event_type ELSE event_type END, " +
            "at = max(at, excluded.at), expires_at = max(expires_at, excluded.expires_at), " +
            "customer_id = coalesce(excluded.customer_id, customer_id)";
        command.Parameters.AddWithValue("@journey_name", exit.JourneyName);
        command.Parameters.AddWithValue("@correlation_key", exit.CorrelationKey);
        command.Parameters.AddWithValue("@event_type", exit.EventType);
        command.Parameters.AddWithValue("@at", exit.At.ToUnixTimeTicks());
        command.Parameters.AddWithValue("@expires_at", exit.ExpiresAt.ToUnixTimeTicks());
        command.Parameters.AddWithValue("@customer_id", (object?)exit.CustomerId ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes a few of the exits expired at <paramref name="now"/>, earliest first (an index seek, nothing when none
    /// has expired): an expired exit refuses nothing, and a start forgetting a few keeps the table to the exits that
    /// still count without a purge job.
    /// </summary>
    public static async Task ForgetExpiredAsync(SqliteConnection connection, SqliteTransaction transaction, Instant now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "DELETE FROM journey_exits WHERE rowid IN " +
            "(SELECT rowid FROM journey_exits WHERE expires_at <= @now ORDER BY expires_at LIMIT @batch)";
        command.Parameters.AddWithValue("@now", now.ToUnixTimeTicks());
        command.Parameters.AddWithValue("@batch", ForgetBatch);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
