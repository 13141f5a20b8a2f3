namespace Recovery.Journeys.Relational;

/// <summary>
/// Customers held by claims in this process, for a store whose every contender is in one process (SQLite): a claim that
/// asks for a customer another claim holds waits for that claim to end. This makes frequency caps exact: the cap's
/// check and the record of the send it allows are one step for the customer.
/// </summary>
/// <remarks>Waiting is on a signal the holder's release completes, so it neither polls nor sleeps. Thread-safe.</remarks>
internal sealed class CustomerLocks
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (object Holder, TaskCompletionSource Released)> _held = new(StringComparer.Ordinal);

    /// <summary>Holds <paramref name="customerId"/> for <paramref name="holder"/>, waiting while another holder has it.</summary>
    public async ValueTask AcquireAsync(string customerId, object holder, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task released;
            lock (_gate)
            {
                if (!_held.TryGetValue(customerId, out var current))
                {
                    _held[customerId] = (holder, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                    return;
                }

                if (ReferenceEquals(current.Holder, holder))
                {
                    return;
                }

                released = current.Released.Task;
            }

            await released.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Lets go of <paramref name="customerId"/> if <paramref name="holder"/> has it, and wakes the claims waiting for it.</summary>
    public void Release(string customerId, object holder)
    {
        TaskCompletionSource? released = null;
        lock (_gate)
        {
            if (_held.TryGetValue(customerId, out var current) && ReferenceEquals(current.Holder, holder))
            {
                _held.Remove(customerId);
                released = current.Released;
            }
        }

        released?.TrySetResult();
    }

    /// <summary>Lets go of every customer (the store closed, its claims are dropped), waking every waiter.</summary>
    public void ReleaseAll()
    {
        List<TaskCompletionSource> released;
        lock (_gate)
        {
            released = [.. _held.Values.Select(h => h.Released)];
            _held.Clear();
        }

        foreach (var signal in released)
        {
            signal.TrySetResult();
        }
    }
}
