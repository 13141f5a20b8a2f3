namespace Recovery.Journeys.Relational;

/// <summary>
/// A store's opening (connect, lock, create or migrate the schema), run once for all its callers: every method of the
/// store awaits it, and the host may call it at startup to fail fast.
/// </summary>
/// <remarks>
/// A failed or cancelled run is started again by the next caller, so a database that was unreachable at startup is
/// opened once it is back. A caller's cancellation stops its own wait, never the run other callers wait for. After
/// <see cref="Close"/>, callers get an <see cref="ObjectDisposedException"/>.
/// </remarks>
/// <param name="initialize">Opens the store; called without a cancellation token, since it is shared by its callers.</param>
/// <param name="owner">The store, named by <see cref="ObjectDisposedException"/>.</param>
internal sealed class StoreInitialization(Func<Task> initialize, object owner)
{
    private readonly Lock _gate = new();
    private Task? _run;
    private bool _closed;

    /// <summary>Completes when the store is open: at once after a successful run, else when the current run ends.</summary>
    /// <param name="cancellationToken">Stops waiting; the run goes on for the other callers.</param>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, owner);
            if (_run is null || _run.IsFaulted || _run.IsCanceled)
            {
                _run = initialize();
            }

            return _run.IsCompletedSuccessfully ? _run : _run.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Refuses further runs, for the store's disposal.</summary>
    /// <returns>The last run, which the store waits for before it closes what the run opened; <see langword="null"/> if none.</returns>
    public Task? Close()
    {
        lock (_gate)
        {
            _closed = true;
            return _run;
        }
    }
}
