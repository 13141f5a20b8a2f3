using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using Recovery.Journeys.Adapters;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Relational;
using Recovery.Journeys.Sqlite.Schema;
using Recovery.Journeys.Sqlite.Storage;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Sqlite;

/// <summary>
/// Keeps journeys in a SQLite file (WAL mode): the durable store for a shop that runs one app instance. Pending steps
/// survive restarts; a step's outcome and the instance's next state are committed in one transaction.
/// </summary>
/// <remarks>
/// <para>
/// One process, one store object per file: the store holds an exclusive lock on <c>&lt;path&gt;.lock</c> while open,
/// and a second store on the same file fails with a clear error. Because every contender is in this process, a claim
/// is held in memory and never written to the file: when the process dies its claims die with it, and after a
/// restart the instances they held are due again, for the same step, so the retry carries the same idempotency key
/// (instance id + step id). Use the PostgreSQL store to run several app instances.
/// </para>
/// <para>
/// Writes and claims are serialised through one connection (SQLite has a single writer anyway); reads use pooled
/// connections and do not wait for writes. A start or an exit reads and writes under that serialisation, so a start and
/// an exit for the same key never interleave: the later one sees what the earlier one committed. Every transaction is
/// synced to disk (<c>synchronous=FULL</c>), so a committed step survives a power cut too.
/// </para>
/// <para>
/// The file is opened, and its schema created or migrated, on first use or by <see cref="MigrateAsync"/>. Thread-safe.
/// </para>
/// </remarks>
public sealed class SqliteJourneyStore : IJourneyStore, IAsyncDisposable, IDisposable
{
    /// <summary>The due instances, earliest first, passing over paused journeys: the due index drives it (a test checks the plan).</summary>
    internal const string ClaimDueSql =
        $"SELECT {SqliteRows.InstanceColumns} FROM journey_instances WHERE wake_up_at <= @now AND {SqlitePauses.NotPaused} " +
        "ORDER BY wake_up_at, seq LIMIT @limit";

    /// <summary>The earliest wake-ups, passing over paused journeys; the caller skips those it holds.</summary>
    internal const string NextWakeUpSql =
        $"SELECT id, wake_up_at FROM journey_instances WHERE wake_up_at IS NOT NULL AND {SqlitePauses.NotPaused} ORDER BY wake_up_at, seq LIMIT @limit";

    private readonly SqliteJourneyStoreOptions _options;
    private readonly string _path;
    private readonly string _connectionString;
    private readonly JsonSerializerOptions _eventOptions;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly StoreInitialization _opening;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Lock _gate = new();
    private readonly HeldClaims<Claim> _claims = new();
    private SqliteConnection? _writer;
    private FileStream? _fileLock;
    private bool _disposed;

    /// <summary>Creates a store on a file, with the other settings at their defaults; nothing is opened until first use.</summary>
    /// <param name="path">The SQLite file, created with its folder when missing.</param>
    /// <param name="timeProvider">The store's clock: it times the schema migrations it logs.</param>
    /// <param name="loggerFactory">Where to log the schema migrations; nowhere when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException">The path is invalid (blank, or <c>:memory:</c>).</exception>
    public SqliteJourneyStore(string path, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
        : this(new SqliteJourneyStoreOptions { Path = path }, timeProvider, loggerFactory)
    {
    }

    /// <summary>Creates a store; nothing is opened until first use.</summary>
    /// <param name="options">Its settings; copied, so later changes to the object have no effect.</param>
    /// <param name="timeProvider">The store's clock: it times the schema migrations it logs.</param>
    /// <param name="loggerFactory">Where to log the schema migrations; nowhere when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the exception lists every problem.</exception>
    public SqliteJourneyStore(SqliteJourneyStoreOptions options, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = AdapterOptions.ValidatedCopy(options, new SqliteJourneyStoreOptionsValidator(), o => o.Copy());
        _timeProvider = timeProvider;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SqliteJourneyStore>();
        _opening = new StoreInitialization(OpenCoreAsync, this);
        _path = System.IO.Path.GetFullPath(_options.Path);
        _eventOptions = _options.EventSerializerOptions ?? JourneyJson.DefaultOptions;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The full path of the SQLite file.</summary>
    public string Path => _path;

    /// <summary>The store's own copy of its options.</summary>
    internal SqliteJourneyStoreOptions Options => _options;

    /// <summary>
    /// Opens the file and creates or migrates its schema: takes the file's lock, switches it to WAL mode, and runs the
    /// migrations the file lacks (logged, with how long they took). Every other method calls it when needed, and
    /// <c>UseSqliteStore</c> does not call it at registration: call it at startup to fail fast. Safe to call more than
    /// once; a failed call is tried again by the next one.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting; the opening itself goes on for the next caller.</param>
    /// <exception cref="InvalidOperationException">
    /// Another store, in this process or another, has the file open; or a newer version of the package migrated it.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public Task MigrateAsync(CancellationToken cancellationToken = default) => _opening.EnsureAsync(cancellationToken);

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

    /// <inheritdoc />
    public async ValueTask<JourneyTransition?> UpdateActiveAsync(
        string journeyName,
        string correlationKey,
        Func<JourneyInstance, JourneyTransition?> update,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);

        // An update must not go between a claim and its commit: it waits for the claim to end, then reads again.
        return await _claims.RetryWhileHeldAsync(attemptToken => WriteAsync<(JourneyTransition?, JourneyInstanceId?)>(async (connection, ct) =>
        {
            var active = await FindActiveAsync(connection, null, journeyName, correlationKey, ct).ConfigureAwait(false);
            if (active is null)
            {
                return (null, null);
            }

            if (_claims.IsHeld(active.Id))
            {
                return (null, active.Id);
            }

            var transition = update(active);
            if (transition is null)
            {
                return (null, null);
            }

            CheckSameInstance(active.Id, transition);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await UpdateAsync(connection, transaction, transition, ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return (transition, null);
        }, attemptToken), cancellationToken).ConfigureAwait(false);
    }

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

    /// <inheritdoc />
    public async ValueTask SetPauseAsync(JourneyPause pause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pause);
        await WriteAsync(async (connection, ct) =>
        {
            await SqlitePauses.SetAsync(connection, pause, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>The pause ends and the held instances get their entries in one transaction of the store's one writer.</remarks>
    public async ValueTask<PauseEnd?> ClearPauseAsync(string journeyName, Instant resumedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journeyName);
        return await WriteAsync((connection, ct) => SqlitePauses.ClearAsync(connection, journeyName, resumedAt, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JourneyPause>> GetPausesAsync(CancellationToken cancellationToken) =>
        await ReadAsync(SqlitePauses.ReadAllAsync, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<JourneyInstance?> GetAsync(JourneyInstanceId id, CancellationToken cancellationToken) =>
        await ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {SqliteRows.InstanceColumns} FROM journey_instances WHERE id = @id";
            command.Parameters.AddWithValue("@id", id.ToString());
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? SqliteRows.ReadInstance(reader, _eventOptions) : null;
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JourneyInstance>> FindAsync(JourneyInstanceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await ReadAsync<IReadOnlyList<JourneyInstance>>(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText =
                $"SELECT {SqliteRows.InstanceColumns} FROM journey_instances " +
                "WHERE (@journey_name IS NULL OR journey_name = @journey_name) " +
                "AND (@correlation_key IS NULL OR correlation_key = @correlation_key) " +
                "AND (@customer_id IS NULL OR customer_id = @customer_id) ORDER BY seq";
            command.Parameters.AddWithValue("@journey_name", (object?)query.JourneyName ?? DBNull.Value);
            command.Parameters.AddWithValue("@correlation_key", (object?)query.CorrelationKey ?? DBNull.Value);
            command.Parameters.AddWithValue("@customer_id", (object?)query.CustomerId ?? DBNull.Value);
            var found = new List<JourneyInstance>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                found.Add(SqliteRows.ReadInstance(reader, _eventOptions));
            }

            return found;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JourneyRecord>> GetTimelineAsync(JourneyInstanceId id, CancellationToken cancellationToken) =>
        await ReadAsync<IReadOnlyList<JourneyRecord>>(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {SqliteRows.RecordColumns} FROM journey_records WHERE instance_id = @id ORDER BY seq";
            command.Parameters.AddWithValue("@id", id.ToString());
            var timeline = new List<JourneyRecord>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                timeline.Add(SqliteRows.ReadRecord(reader));
            }

            return timeline;
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JourneyRecord>> GetCustomerRecordsAsync(string customerId, Instant since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        return await ReadAsync<IReadOnlyList<JourneyRecord>>(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText =
                $"SELECT {string.Join(", ", SqliteRows.RecordColumns.Split(", ").Select(c => "r." + c))} FROM journey_records r " +
                "JOIN journey_instances i ON i.id = r.instance_id WHERE i.customer_id = @customer_id AND r.at >= @since ORDER BY r.at, r.seq";
            command.Parameters.AddWithValue("@customer_id", customerId);
            command.Parameters.AddWithValue("@since", since.ToUnixTimeTicks());
            var records = new List<JourneyRecord>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                records.Add(SqliteRows.ReadRecord(reader));
            }

            return records;
        }, cancellationToken).ConfigureAwait(false);
    }

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

    /// <inheritdoc />
    public async IAsyncEnumerable<JourneyRecord> ReadRecordsAsync(
        JourneyRecordQuery query,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {SqliteRows.RecordColumns} FROM journey_records " +
            "WHERE (@journey_name IS NULL OR journey_name = @journey_name) AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to) " +
            "ORDER BY at, seq";
        command.Parameters.AddWithValue("@journey_name", (object?)query.JourneyName ?? DBNull.Value);
        command.Parameters.AddWithValue("@from", (object?)query.From?.ToUnixTimeTicks() ?? DBNull.Value);
        command.Parameters.AddWithValue("@to", (object?)query.To?.ToUnixTimeTicks() ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return SqliteRows.ReadRecord(reader);
        }
    }

    /// <summary>
    /// Closes the file and releases its lock. Claims still held are dropped, as in a crash: their instances are due
    /// again when the file is next opened. Safe to call more than once.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        if (_opening.Close() is { } opening)
        {
            await opening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            CloseFile();
        }
        finally
        {
            _writeGate.Release();
        }

        _claims.DropAll(new ObjectDisposedException(GetType().FullName, "The SQLite journey store was disposed."));
    }

    /// <inheritdoc cref="DisposeAsync" />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task OpenCoreAsync()
    {
        // Off the caller's thread: Microsoft.Data.Sqlite's async methods run synchronously.
        await Task.Yield();
        FileStream? fileLock = null;
        SqliteConnection? writer = null;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_path)!);
            fileLock = LockFile();
            writer = new SqliteConnection(_connectionString);
            await writer.OpenAsync().ConfigureAwait(false);
            await using (var pragmas = writer.CreateCommand())
            {
                pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
                await pragmas.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            await SqliteSchema.For(_path).MigrateAsync(writer, prepare: null, _timeProvider, _logger, CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                if (!_disposed)
                {
                    (_writer, _fileLock) = (writer, fileLock);
                    return;
                }
            }

            throw new ObjectDisposedException(GetType().FullName);
        }
        catch
        {
            if (writer is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
                SqliteConnection.ClearPool(writer);
            }

            fileLock?.Dispose();
            throw;
        }
    }

    private FileStream LockFile()
    {
        var lockPath = _path + ".lock";
        try
        {
            // FileShare.None is an exclusive lock the OS drops when the process dies (flock on Unix).
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"The SQLite journey store '{_path}' is already open in another store, in this process or another ('{lockPath}' is locked). " +
                "A SQLite store serves one app instance: open one store per file, or use Recovery.Journeys.PostgreSql to run several instances.",
                e);
        }
    }

    private void CloseFile()
    {
        if (_writer is not null)
        {
            _writer.Dispose();
            SqliteConnection.ClearPool(_writer);
            _writer = null;
        }

        _fileLock?.Dispose();
        _fileLock = null;
    }

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var writer = _writer ?? throw new ObjectDisposedException(GetType().FullName);
            return await write(writer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await read(connection, cancellationToken).ConfigureAwait(false);
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

    private static async Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, JourneyTransition transition, CancellationToken cancellationToken)
    {
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = SqliteRows.InsertInstance;
            SqliteRows.AddInstanceParameters(insert, transition.Instance);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await SqliteRows.InsertRecordsAsync(connection, transaction, transition.Records, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JourneyInstance?> FindActiveAsync(SqliteConnection connection, SqliteTransaction? transaction, string journeyName, string correlationKey, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {SqliteRows.InstanceColumns} FROM journey_instances WHERE journey_name = @journey_name AND correlation_key = @correlation_key AND status = 0";
        command.Parameters.AddWithValue("@journey_name", journeyName);
        command.Parameters.AddWithValue("@correlation_key", correlationKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? SqliteRows.ReadInstance(reader, _eventOptions) : null;
    }

    private static async Task UpdateAsync(SqliteConnection connection, SqliteTransaction transaction, JourneyTransition transition, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = SqliteRows.UpdateInstance;
        SqliteRows.AddInstanceParameters(command, transition.Instance);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
        {
            throw new JourneyClaimLostException(transition.Instance.Id);
        }

        await SqliteRows.InsertRecordsAsync(connection, transaction, transition.Records, cancellationToken).ConfigureAwait(false);
    }

    private static void CheckSameInstance(JourneyInstanceId expected, JourneyTransition transition)
    {
        if (transition.Instance.Id != expected)
        {
            throw new ArgumentException($"The transition is for instance {transition.Instance.Id}, not {expected}.", nameof(transition));
        }
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

            // Released inside the write gate, so that a waiting exit reads the committed state.
            _claims.Release(claim.Instance.Id, claim);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    private sealed class Claim(SqliteJourneyStore store, JourneyInstance instance) : IJourneyClaim
    {
        public JourneyInstance Instance { get; } = instance;

        public ValueTask CommitAsync(JourneyTransition transition, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(transition);
            return store.CommitAsync(this, transition, cancellationToken);
        }

        public ValueTask DisposeAsync()
        {
            store._claims.Release(Instance.Id, this);
            return ValueTask.CompletedTask;
        }
    }
}
