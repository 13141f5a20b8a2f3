using System.Data;
using System.Data.Common;
using System.Globalization;
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
public sealed partial class PostgreSqlJourneyStore : IJourneyStore, IConcurrentClaimStore, IJourneyWakeUpSource, IAsyncDisposable, IDisposable
{
    private readonly PostgreSqlJourneyStoreOptions _options;
    private NpgsqlDataSource? _pool;
    private int _claimBudget = 1;
    private int _claimsHeld;
    private readonly NpgsqlDataSource _listenDataSource;
    private readonly PostgreSqlRows _rows;
    private readonly PostgreSqlStepStatements _steps;
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
        _steps = new PostgreSqlStepStatements(_rows);
        _claimTimeout = ((long)Math.Ceiling(_options.MaxClaimDuration.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        // The listening connection stays idle for long stretches: keepalives notice a dead server or network.
        var listen = new NpgsqlConnectionStringBuilder(_options.ConnectionString) { Pooling = false };
        if (listen.KeepAlive == 0)
        {
            listen.KeepAlive = 30;
        }

        _listenDataSource = NpgsqlDataSource.Create(listen.ConnectionString);
        _migration = new StoreInitialization(OpenAsync, this);
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
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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

        if (Volatile.Read(ref _pool) is { } pool)
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }

        await _listenDataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc cref="DisposeAsync" />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    internal PostgreSqlRows Rows => _rows;

    /// <summary>The step path's statements, with positional parameters.</summary>
    internal PostgreSqlStepStatements Steps => _steps;

    /// <summary>The most connections the store's pool opens, decided when it opened (<see cref="PostgreSqlJourneyStoreOptions.MaxPoolSize"/>).</summary>
    internal int PoolSize { get; private set; }

    /// <summary>The store's pool, created when the store opens; every caller has awaited <see cref="MigrateAsync"/> first.</summary>
    private NpgsqlDataSource DataSource => Volatile.Read(ref _pool) ?? throw new InvalidOperationException("The PostgreSQL journey store is not open yet.");

    internal ILogger Logger => _logger;

    internal static void CheckSameInstance(JourneyInstanceId expected, JourneyTransition transition)
    {
        if (transition.Instance.Id != expected)
        {
            throw new ArgumentException($"The transition is for instance {transition.Instance.Id}, not {expected}.", nameof(transition));
        }
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

    /// <summary>Sizes the pool below the server's <c>max_connections</c>, creates it, and migrates the schema.</summary>
    private async Task OpenAsync()
    {
        var size = await PostgreSqlPoolSizing.DecideAsync(_options, CancellationToken.None).ConfigureAwait(false);
        var pool = NpgsqlDataSource.Create(PostgreSqlPoolSizing.WithSize(ForStorePool(_options.ConnectionString), size));
        try
        {
            await PostgreSqlSchema.MigrateAsync(pool, _options.Schema, _timeProvider, _logger, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            await pool.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        (PoolSize, _claimBudget) = (size, PostgreSqlPoolSizing.ClaimBudget(size));
        Volatile.Write(ref _pool, pool);
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
        // NpgsqlConnectionStringBuilder.ContainsKey is true for any keyword Npgsql knows, set or not: read what the
        // string itself sets, in any of Npgsql's spellings ("Max Auto Prepare", "MaxAutoPrepare", any case).
        var set = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", string.Empty, StringComparison.Ordinal))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!set.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 32;
        }

        if (!set.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
