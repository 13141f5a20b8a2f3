using System.Collections.Concurrent;

namespace Recovery.Journeys.Runtime;

/// <summary>
/// The steps of one due-step loop that are waiting on I/O (a slow channel's call, a store's commit): each reports its
/// end itself, so that hundreds in flight cost the loop nothing while they wait (no scan, no <c>WhenAny</c> over all of
/// them each time the loop wakes).
/// </summary>
/// <remarks>
/// <see cref="Add"/> and <see cref="Reap"/> are called by the loop only; the steps' ends come from any thread.
/// </remarks>
internal sealed class StepsInFlight
{
    private readonly ConcurrentQueue<Task> _finished = new();
    private readonly WorkSignal _ended = new();

    /// <summary>The steps added and not yet reaped.</summary>
    public int Count { get; private set; }

    /// <summary>Tracks a step that did not complete at once.</summary>
    public void Add(Task step)
    {
        Count++;
        step.ContinueWith(
            static (finished, state) =>
            {
                var owner = (StepsInFlight)state!;
                owner._finished.Enqueue(finished);
                owner._ended.Raise();
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Starts waiting for a step to end: the listener completes at once when one ended and was not reaped yet.</summary>
    public WorkSignal.Listener ListenForEnd()
    {
        // Registered before the queue is read: a step ending in between wakes the listener.
        var listener = _ended.Listen();
        if (!_finished.IsEmpty)
        {
            listener.Wake();
        }

        return listener;
    }

    /// <summary>Removes the steps that ended, counting those that succeeded; the first failure is kept in <paramref name="failure"/>.</summary>
    public int Reap(ref Exception? failure)
    {
        var done = 0;
        while (_finished.TryDequeue(out var step))
        {
            Count--;
            if (step.IsCompletedSuccessfully)
            {
                done++;
            }
            else
            {
                failure ??= step.Exception?.InnerException ?? new OperationCanceledException();
            }
        }

        return done;
    }
}
