using System.Globalization;
using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;
using Recovery.Journeys.PostgreSql.Storage;

namespace Recovery.Journeys.PostgreSql;

// Wake-ups: NOTIFY on the due channel, LISTEN for the other instances' notifications.
public sealed partial class PostgreSqlJourneyStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Listens on its own connection (with keepalives), reconnecting after
    /// <see cref="PostgreSqlJourneyStoreOptions.ListenReconnectDelay"/> when it fails; after each (re)connection it
    /// signals "look now", since notifications sent meanwhile were lost.
    /// </remarks>
    public async Task ListenAsync(Action<Instant> wakeUp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wakeUp);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await MigrateAsync(cancellationToken).ConfigureAwait(false);
                await using var connection = await _listenDataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    if (ParseNotification(e.Payload) is { } due)
                    {
                        wakeUp(due);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {_rows.NotifyChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                wakeUp(Instant.MinValue);
                while (true)
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                Log.ListenFailed(_logger, e, _options.Schema, _options.ListenReconnectDelay.ToTimeSpan());
            }

            await Task.Delay(_options.ListenReconnectDelay.ToTimeSpan(), _timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Sends the "work is due" notification for a released claim's instance, outside any transaction.</summary>
    internal async Task NotifyAsync(NpgsqlConnection connection, Instant wakeUpAt)
    {
        await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
        notify.Parameters.Add(PostgreSqlRows.Text("channel", _rows.NotifyChannel));
        notify.Parameters.Add(PostgreSqlRows.Text("payload", NotificationPayload(wakeUpAt)));
        await notify.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The "work is due" notification, sent when the transaction it runs in commits.</summary>
    internal NpgsqlBatchCommand NotifyCommand(Instant wakeUpAt)
    {
        var notify = new NpgsqlBatchCommand("SELECT pg_notify(@channel, @payload)");
        notify.Parameters.Add(PostgreSqlRows.Text("channel", _rows.NotifyChannel));
        notify.Parameters.Add(PostgreSqlRows.Text("payload", NotificationPayload(wakeUpAt)));
        return notify;
    }

    private string NotificationPayload(Instant wakeUpAt) => $"{_origin}:{wakeUpAt.ToUnixTimeTicks().ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The due instant of another store's notification; <see langword="null"/> for this store's own or a malformed one.</summary>
    private Instant? ParseNotification(string payload)
    {
        var separator = payload.IndexOf(':', StringComparison.Ordinal);
        if (separator < 0 || payload.AsSpan(0, separator).SequenceEqual(_origin))
        {
            return null;
        }

        return long.TryParse(payload.AsSpan(separator + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks)
            ? Instant.FromUnixTimeTicks(ticks)
            : null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "The journey store's LISTEN connection (schema {Schema}) failed; reconnecting in {Delay}")]
        public static partial void ListenFailed(ILogger logger, Exception exception, string schema, TimeSpan delay);
    }
}
