namespace Recovery.Journeys.Runtime;

/// <summary>
/// Tells the due-step loop that this process just made work due (a trigger, a resumed wait), so that a loop waiting
/// on slow steps in flight looks at the store again at once instead of at its next timer.
/// </summary>
/// <remarks>Lock-free: <see cref="Raise"/> runs after every commit and costs one read when no one waits.</remarks>
internal sealed class WorkSignal
{
    private TaskCompletionSource? _waiting;

    /// <summary>A task that completes at the next <see cref="Raise"/>.</summary>
    public Task NextAsync()
    {
        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return (Interlocked.CompareExchange(ref _waiting, fresh, null) ?? fresh).Task;
    }

    /// <summary>Wakes whoever waits.</summary>
    public void Raise()
    {
        if (Volatile.Read(ref _waiting) is not null)
        {
            Interlocked.Exchange(ref _waiting, null)?.TrySetResult();
        }
    }
}
