using System.Collections.Concurrent;

namespace Recovery.Journeys.Comparison.Shop;

/// <summary>An in-process log, for runs whose workers live in the run's own process; completes a wait at a count.</summary>
public sealed class MemorySendLog : ISendLog
{
    private readonly ConcurrentQueue<SendRecord> _records = new();
    private readonly Lock _gate = new();
    private readonly List<(long Count, TaskCompletionSource Done)> _waits = [];
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public Task AppendAsync(SendRecord record, CancellationToken cancellationToken)
    {
        _records.Enqueue(record);
        var count = Interlocked.Increment(ref _count);
        lock (_gate)
        {
            foreach (var wait in _waits.Where(w => w.Count <= count))
            {
                wait.Done.TrySetResult();
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Completes once <paramref name="count"/> sends are in the log.</summary>
    public Task WhenCountAsync(long count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waits.Add((count, done));
        }

        if (Count >= count)
        {
            done.TrySetResult();
        }

        return done.Task;
    }

    public Task<IReadOnlyList<SendRecord>> ReadAllAsync() => Task.FromResult<IReadOnlyList<SendRecord>>([.. _records]);

    public Task<long> CountAsync() => Task.FromResult(Count);
}
