using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
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
public sealed partial class SqliteJourneyStore : IJourneyStore, IAsyncDisposable, IDisposable
{
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
    private readonly CustomerLocks _customers = new();
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
        _customers.ReleaseAll();
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
                // secure_delete: a deleted row's bytes are overwritten with zeros, so an erasure leaves no copy in the file.
                pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;";
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
}
