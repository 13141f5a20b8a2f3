using System.Data;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Recovery.Journeys.Adapters;
using Recovery.Journeys.Ports;
using Recovery.Journeys.PostgreSql.Schema;
using Recovery.Journeys.PostgreSql.Storage;
using Recovery.Journeys.Relational;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.PostgreSql;

/// <summary>
/// Keeps journeys in PostgreSQL, shared by every app instance of a shop: each due step runs on exactly one instance,
/// and when that instance dies its steps are taken over with the same idempotency key.
/// </summary>
/// <remarks>
/// <para>
/// <b>Claims are row locks.</b> A claim is an open transaction holding its instance's row <c>FOR UPDATE</c>; other
/// claimers pass over it (<c>SKIP LOCKED</c>), and an exit, a re-entry or an erasure that needs the instance waits
/// for the lock, so it is applied after the step's commit, never between the send and its record. The commit writes
/// the new state and the step's records in that transaction. If the worker dies its connection closes and the
/// server ends the transaction at once: the instance is due again for the same step. A worker that hangs, or is cut
/// off without its connection closing, loses its claims after <see cref="PostgreSqlJourneyStoreOptions.MaxClaimDuration"/>.
/// A claim therefore holds a pooled connection until it ends; <see cref="PostgreSqlJourneyStoreOptions.MaxClaimsPerCall"/>
/// bounds how many one call takes.
/// </para>
/// <para>
/// <b>Wake-up.</b> A start, an exit or an update that creates or moves a wake-up (an instance ended with exit actions
/// to run is due at once), and a claim released unchanged send a <c>NOTIFY</c> on the channel <c>&lt;schema&gt;_due</c>; as an <see cref="IJourneyWakeUpSource"/> the store <c>LISTEN</c>s to it, so the
/// in-process scheduler of every other app instance looks for due work at once instead of at its next poll. A
/// store ignores its own notifications.
/// </para>
/// <para>
/// Every transaction runs at READ COMMITTED, whatever the server's default: a write that waited for a claim then
/// reads the row as the claim left it.
/// </para>
/// <para>
/// The schema is created or migrated on first use or by <see cref="MigrateAsync"/>. Thread-safe; one store per app
/// instance (it owns a connection pool).
/// </para>
/// </remarks>
public sealed partial class PostgreSqlJourneyStore : IJourneyStore, IJourneyWakeUpSource, IAsyncDisposable, IDisposable
{
    private readonly PostgreSqlJourneyStoreOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _listenDataSource;
    private readonly PostgreSqlRows _rows;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _claimTimeout;
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private readonly StoreInitialization _migration;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<PostgreSqlClaim, byte> _claims = new();

    /// <summary>Creates a store; nothing is opened until first use.</summary>
    /// <param name="options">Its settings; copied, so later changes to the object have no effect.</param>
    /// <param name="timeProvider">The store's clock: it times the <c>LISTEN</c> reconnection delay and the schema migrations it logs.</param>
    /// <param name="loggerFactory">Where to log schema migrations, lost claims and <c>LISTEN</c> failures; nowhere when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the exception lists every problem.</exception>
    public PostgreSqlJourneyStore(PostgreSqlJourneyStoreOptions options, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = AdapterOptions.ValidatedCopy(options, new PostgreSqlJourneyStoreOptionsValidator(), o => o.Copy());
        _timeProvider = timeProvider;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PostgreSqlJourneyStore>();
        _rows = new PostgreSqlRows(_options.Schema, _options.EventSerializerOptions ?? JourneyJson.DefaultOptions);
        _claimTimeout = ((long)Math.Ceiling(_options.MaxClaimDuration.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        _dataSource = NpgsqlDataSource.Create(ForStorePool(_options.ConnectionString));

        // The listening connection stays idle for long stretches: keepalives notice a dead server or network.
        var listen = new NpgsqlConnectionStringBuilder(_options.ConnectionString) { Pooling = false };
        if (listen.KeepAlive == 0)
        {
            listen.KeepAlive = 30;
        }

        _listenDataSource = NpgsqlDataSource.Create(listen.ConnectionString);
        _migration = new StoreInitialization(() => PostgreSqlSchema.MigrateAsync(_dataSource, _options.Schema, _timeProvider, _logger, CancellationToken.None), this);
    }

    /// <summary>The schema that holds the store's tables.</summary>
    public string Schema => _options.Schema;

    /// <summary>The store's own copy of its options.</summary>
    internal PostgreSqlJourneyStoreOptions Options => _options;

    /// <summary>
    /// Creates the schema and its tables, or migrates them to this package's version (logged, with how long it took).
    /// Every other method calls it when needed, and <c>UsePostgreSqlStore</c> does not call it at registration: call it
    /// at startup to fail fast. Safe to call more than once and from several app instances at once; a failed
    /// migration is tried again by the next call.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting; the migration itself goes on for the next caller.</param>
    /// <exception cref="InvalidOperationException">A newer version of the package migrated the schema.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public Task MigrateAsync(CancellationToken cancellationToken = default) => _migration.EnsureAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// <para>
    /// <b>Why a start and an exit for one key cannot miss each other.</b> Under READ COMMITTED each statement sees what
    /// was committed when it began, so without more a start could read "no exit" while an exit, not yet committed,
    /// reads "no active instance": the exit would be remembered and the new instance left running. So both take a
    /// transaction-scoped advisory lock on the journey and key (<c>pg_advisory_xact_lock</c>) before they read
    /// anything, and keep it until they commit. PostgreSQL releases it only once the holder's commit is visible, and
    /// every later statement of the waiter takes a new snapshot; so whichever comes second reads what the first
    /// committed: a start after an exit reads the exit and is refused, an exit after a start finds the new instance
    /// and ends it. Starts for one key are serialised the same way, so a start never meets another start's
    /// uncommitted instance: 64 replacing starts end one another in turn, each creating the next active instance, and
    /// none fails on the one-active-instance index.
    /// </para>
    /// <para>
    /// The instances a start ends (the one it replaces, those it supersedes) are then locked <c>FOR UPDATE</c>, in the
    /// order of their ids: a claim on one is waited for, and the start ends it as the claim's commit left it. Its
    /// other keys are not locked: superseding only ends what is active there, and a start there owes nothing to this one.
    /// </para>
    /// </remarks>
    public async ValueTask<StartOutcome> TryStartAsync(JourneyStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        var instance = start.Entry.Instance;
        var now = instance.StartedAt;
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        var write = new PostgreSqlWriteBatch(this, connection, transaction);
        write.ForgetExpiredExits(now);
        var (exit, activeId) = start.IsStale ? (null, null) : await LockKeyAndReadAsync(connection, transaction, instance.JourneyName, instance.CorrelationKey, cancellationToken).ConfigureAwait(false);
        if (start.IsStale || (exit is not null && start.IsRefusedBy(exit, now)))
        {
            write.Insert(start.Refusal(exit));
            await write.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return StartOutcome.Refused(exit);
        }

        if (activeId is { } id && start.Replace is null)
        {
            return StartOutcome.AlreadyActive(id);
        }

        // Without Replace there is no active instance here, and none can appear: starts for this key wait for the lock.
        var keys = start.Supersede.Select(s => (s.JourneyName, s.CorrelationKey)).ToList();
        if (activeId is not null)
        {
            keys.Add((instance.JourneyName, instance.CorrelationKey));
        }

        var toEnd = await LockActiveAsync(connection, transaction, keys, cancellationToken).ConfigureAwait(false);
        var ended = new List<JourneyTransition>();
        if (activeId is not null && toEnd.Find(i => i.JourneyName == instance.JourneyName && i.CorrelationKey == instance.CorrelationKey) is { } existing)
        {
            var replaced = start.Replace!(existing);
            write.Update(existing, replaced);
            ended.Add(replaced);
        }

        write.Insert(start.Entry);
        foreach (var supersede in start.Supersede)
        {
            // An instance listed twice, or the one just replaced, is ended once.
            if (toEnd.Find(i => i.JourneyName == supersede.JourneyName && i.CorrelationKey == supersede.CorrelationKey) is not { } rival
                || ended.Exists(e => e.Instance.Id == rival.Id)
                || supersede.End(rival) is not { } transition)
            {
                continue;
            }

            write.Update(rival, transition);
            ended.Add(transition);
        }

        await write.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return StartOutcome.Started(ended);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Takes the same advisory lock on the journey and key as <see cref="TryStartAsync"/> (see there why), then locks the
    /// active instance <c>FOR UPDATE</c>, waiting for a claim on it as <see cref="UpdateActiveAsync"/> does.
    /// </remarks>
    public async ValueTask<JourneyTransition?> ExitAsync(RememberedExit exit, Func<JourneyInstance, JourneyTransition?> end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exit);
        ArgumentNullException.ThrowIfNull(end);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        JourneyInstance? active;
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            batch.BatchCommands.Add(LockKeyCommand(exit.JourneyName, exit.CorrelationKey));
            var lockActive = new NpgsqlBatchCommand(_rows.LockActive);
            lockActive.Parameters.Add(PostgreSqlRows.Text("journey_name", exit.JourneyName));
            lockActive.Parameters.Add(PostgreSqlRows.Text("correlation_key", exit.CorrelationKey));
            batch.BatchCommands.Add(lockActive);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            active = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? _rows.ReadInstance(reader) : null;
        }

        var transition = active is null ? null : end(active);
        var write = new PostgreSqlWriteBatch(this, connection, transaction);
        if (transition is not null)
        {
            write.Update(active!, transition);
        }

        write.Remember(exit with { CustomerId = active?.CustomerId });
        await write.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return transition;
    }

    /// <inheritdoc />
    public async ValueTask<JourneyTransition?> UpdateActiveAsync(
        string journeyName,
        string correlationKey,
        Func<JourneyInstance, JourneyTransition?> update,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        JourneyInstance? active;
        await using (var lockActive = new NpgsqlCommand(_rows.LockActive, connection, transaction))
        {
            lockActive.Parameters.Add(PostgreSqlRows.Text("journey_name", journeyName));
            lockActive.Parameters.Add(PostgreSqlRows.Text("correlation_key", correlationKey));
            active = await ReadInstanceAsync(lockActive, cancellationToken).ConfigureAwait(false);
        }

        var transition = active is null ? null : update(active);
        if (transition is null)
        {
            return null;
        }

        var write = new PostgreSqlWriteBatch(this, connection, transaction);
        write.Update(active!, transition);
        await write.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return transition;
    }

    /// <inheritdoc />
    /// <remarks>Grants at most <see cref="PostgreSqlJourneyStoreOptions.MaxClaimsPerCall"/> claims, each on a connection of its own.</remarks>
    public async ValueTask<IReadOnlyList<IJourneyClaim>> ClaimDueAsync(Instant now, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        var claims = new List<IJourneyClaim>();
        try
        {
            while (claims.Count < Math.Min(maxCount, _options.MaxClaimsPerCall)
                && await ClaimAsync(_rows.ClaimDue, p => p.Add(PostgreSqlRows.Ticks("now", now)), cancellationToken).ConfigureAwait(false) is { } claim)
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
        await using var command = _dataSource.CreateCommand(_rows.NextWakeUp);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long ticks ? Instant.FromUnixTimeTicks(ticks) : null;
    }

    /// <inheritdoc />
    public async ValueTask SetPauseAsync(JourneyPause pause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pause);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand(_rows.SetPause);
        command.Parameters.Add(PostgreSqlRows.Text("journey_name", pause.JourneyName));
        command.Parameters.Add(PostgreSqlRows.Ticks("paused_at", pause.PausedAt));
        command.Parameters.Add(new NpgsqlParameter<bool>("admits", pause.AdmitsNewInstances));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One transaction deletes the pause and writes the <see cref="JourneyRecordKind.Held"/> entries, then sends a
    /// <c>NOTIFY</c> with the journey's earliest wake-up: the other app instances' schedulers passed over the journey
    /// while it was paused, and look at once instead of at their next poll. A Held entry for an instance a claim holds
    /// (a step claimed before the pause) waits for that claim's commit.
    /// </remarks>
    public async ValueTask<PauseEnd?> ClearPauseAsync(string journeyName, Instant resumedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journeyName);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        JourneyPause pause;
        await using (var end = new NpgsqlCommand(_rows.EndPause, connection, transaction))
        {
            end.Parameters.Add(PostgreSqlRows.Text("journey_name", journeyName));
            await using var reader = await end.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            pause = new JourneyPause(journeyName, Instant.FromUnixTimeTicks(reader.GetInt64(0)), reader.GetBoolean(1));
        }

        var held = new List<JourneyInstanceId>();
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            var hold = new NpgsqlBatchCommand(_rows.HoldDue);
            hold.Parameters.Add(PostgreSqlRows.Text("journey_name", journeyName));
            hold.Parameters.Add(PostgreSqlRows.Ticks("resumed_at", resumedAt));
            hold.Parameters.Add(PostgreSqlRows.Text("detail", HeldRecords.Detail(pause.PausedAt, resumedAt)));
            batch.BatchCommands.Add(hold);
            var notify = new NpgsqlBatchCommand(_rows.NotifyResumed);
            notify.Parameters.Add(PostgreSqlRows.Text("channel", _rows.NotifyChannel));
            notify.Parameters.Add(PostgreSqlRows.Text("origin", _origin));
            notify.Parameters.Add(PostgreSqlRows.Text("journey_name", journeyName));
            batch.BatchCommands.Add(notify);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                held.Add(new JourneyInstanceId(reader.GetGuid(0)));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new PauseEnd(pause, held);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JourneyPause>> GetPausesAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand(_rows.Pauses);
        var pauses = new List<JourneyPause>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pauses.Add(new JourneyPause(reader.GetString(0), Instant.FromUnixTimeTicks(reader.GetInt64(1)), reader.GetBoolean(2)));
        }

        return pauses;
    }

    /// <inheritdoc />
    public async ValueTask<JourneyInstance?> GetAsync(JourneyInstanceId id, CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand(_rows.Get);
        command.Parameters.Add(new NpgsqlParameter<Guid>("id", id.Value));
        return await ReadInstanceAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JourneyInstance>> FindAsync(JourneyInstanceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand(_rows.Find);
        command.Parameters.Add(PostgreSqlRows.Text("journey_name", query.JourneyName));
        command.Parameters.Add(PostgreSqlRows.Text("correlation_key", query.CorrelationKey));
        command.Parameters.Add(PostgreSqlRows.Text("customer_id", query.CustomerId));
        var found = new List<JourneyInstance>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(_rows.ReadInstance(reader));
        }

        return found;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JourneyRecord>> GetTimelineAsync(JourneyInstanceId id, CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand(_rows.Timeline);
        command.Parameters.Add(new NpgsqlParameter<Guid>("id", id.Value));
        var timeline = new List<JourneyRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            timeline.Add(PostgreSqlRows.ReadRecord(reader));
        }

        return timeline;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JourneyRecord>> GetCustomerRecordsAsync(string customerId, Instant since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand(_rows.CustomerRecords);
        command.Parameters.Add(PostgreSqlRows.Text("customer_id", customerId));
        command.Parameters.Add(PostgreSqlRows.Ticks("since", since));
        var records = new List<JourneyRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(PostgreSqlRows.ReadRecord(reader));
        }

        return records;
    }

    /// <inheritdoc />
    public async ValueTask<int> EraseCustomerAsync(string customerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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

    /// <inheritdoc />
    public async IAsyncEnumerable<JourneyRecord> ReadRecordsAsync(
        JourneyRecordQuery query,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand(_rows.ReadRecords);
        command.Parameters.Add(PostgreSqlRows.Text("journey_name", query.JourneyName));
        command.Parameters.Add(PostgreSqlRows.Ticks("from", query.From));
        command.Parameters.Add(PostgreSqlRows.Ticks("to", query.To));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return PostgreSqlRows.ReadRecord(reader);
        }
    }

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

    /// <summary>
    /// Releases the claims still held, unchanged (other app instances take them over at once), and closes the store's
    /// connections. Safe to call more than once.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        // Later calls fail as disposed; a migration in progress fails with its connection, and the next store retries it.
        _ = _migration.Close();
        foreach (var claim in _claims.Keys)
        {
            await claim.DisposeAsync().ConfigureAwait(false);
        }

        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await _listenDataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc cref="DisposeAsync" />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    internal PostgreSqlRows Rows => _rows;

    internal ILogger Logger => _logger;

    /// <summary>Forgets a claim that ended (committed, released or lost).</summary>
    internal void Forget(PostgreSqlClaim claim) => _claims.TryRemove(claim, out _);

    /// <summary>Sends the "work is due" notification for a released claim's instance, outside any transaction.</summary>
    internal async Task NotifyAsync(NpgsqlConnection connection, Instant wakeUpAt)
    {
        await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
        notify.Parameters.Add(PostgreSqlRows.Text("channel", _rows.NotifyChannel));
        notify.Parameters.Add(PostgreSqlRows.Text("payload", NotificationPayload(wakeUpAt)));
        await notify.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    internal static void CheckSameInstance(JourneyInstanceId expected, JourneyTransition transition)
    {
        if (transition.Instance.Id != expected)
        {
            throw new ArgumentException($"The transition is for instance {transition.Instance.Id}, not {expected}.", nameof(transition));
        }
    }

    /// <summary>The "work is due" notification, sent when the transaction it runs in commits.</summary>
    internal NpgsqlBatchCommand NotifyCommand(Instant wakeUpAt)
    {
        var notify = new NpgsqlBatchCommand("SELECT pg_notify(@channel, @payload)");
        notify.Parameters.Add(PostgreSqlRows.Text("channel", _rows.NotifyChannel));
        notify.Parameters.Add(PostgreSqlRows.Text("payload", NotificationPayload(wakeUpAt)));
        return notify;
    }

    private NpgsqlBatchCommand LockKeyCommand(string journeyName, string correlationKey)
    {
        var lockKey = new NpgsqlBatchCommand(_rows.LockKey);
        lockKey.Parameters.Add(PostgreSqlRows.Text("journey_name", journeyName));
        lockKey.Parameters.Add(PostgreSqlRows.Text("correlation_key", correlationKey));
        return lockKey;
    }

    /// <summary>Takes the key's advisory lock, then reads the exit remembered and the active instance's id, in one round trip.</summary>
    private async Task<(RememberedExit? Exit, JourneyInstanceId? ActiveId)> LockKeyAndReadAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string journeyName,
        string correlationKey,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(LockKeyCommand(journeyName, correlationKey));
        foreach (var sql in (string[])[_rows.FindExit, _rows.FindActiveId])
        {
            var read = new NpgsqlBatchCommand(sql);
            read.Parameters.Add(PostgreSqlRows.Text("journey_name", journeyName));
            read.Parameters.Add(PostgreSqlRows.Text("correlation_key", correlationKey));
            batch.BatchCommands.Add(read);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var exit = await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new RememberedExit(journeyName, correlationKey, reader.GetString(0), Instant.FromUnixTimeTicks(reader.GetInt64(1)), Instant.FromUnixTimeTicks(reader.GetInt64(2)))
            {
                CustomerId = reader.IsDBNull(3) ? null : reader.GetString(3),
            }
            : null;
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        JourneyInstanceId? activeId = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? new JourneyInstanceId(reader.GetGuid(0)) : null;
        return (exit, activeId);
    }

    /// <summary>Locks the active instances of <paramref name="keys"/> in the order of their ids, waiting for claims on them.</summary>
    private async Task<List<JourneyInstance>> LockActiveAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IReadOnlyList<(string JourneyName, string CorrelationKey)> keys,
        CancellationToken cancellationToken)
    {
        var locked = new List<JourneyInstance>();
        if (keys.Count == 0)
        {
            return locked;
        }

        await using var command = new NpgsqlCommand(_rows.LockActiveKeys, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]>("journey_names", [.. keys.Select(k => k.JourneyName)]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("correlation_keys", [.. keys.Select(k => k.CorrelationKey)]));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            locked.Add(_rows.ReadInstance(reader));
        }

        return locked;
    }

    private async Task<PostgreSqlClaim?> ClaimAsync(string sql, Action<NpgsqlParameterCollection> parameters, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // One round trip: the claim's transaction is begun in SQL (not with an NpgsqlTransaction) so that its
            // commit can travel in the same batch as the step's writes (PostgreSqlClaim.CommitAsync).
            await using var batch = new NpgsqlBatch(connection);
            batch.BatchCommands.Add(new NpgsqlBatchCommand(PostgreSqlClaim.Begin));
            var timeout = new NpgsqlBatchCommand("SELECT set_config('idle_in_transaction_session_timeout', @timeout, true)");
            timeout.Parameters.Add(PostgreSqlRows.Text("timeout", _claimTimeout));
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
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// Settings of the store's own connection pool, unless the connection string sets them itself. Its statements are
    /// prepared on each pooled connection (Npgsql's automatic preparation), so a claim and a commit skip the server's
    /// parsing and planning. A connection going back to the pool is not reset (<c>No Reset On Close</c>): the pool is
    /// the store's alone and its sessions keep no state (the claim's timeout is set for its transaction only, the
    /// migration's advisory lock is a transaction's, <c>LISTEN</c> has its own connection), and Npgsql still rolls back
    /// a transaction left open.
    /// </summary>
    internal static string ForStorePool(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!builder.ContainsKey("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 32;
        }

        if (!builder.ContainsKey("No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    private async Task<JourneyInstance?> ReadInstanceAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? _rows.ReadInstance(reader) : null;
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
