using System.Collections.Concurrent;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Benchmarks.Lateness;

/// <summary>
/// The lateness run's channel: stamps the real time when it is called, then answers at once or, for the slow channel,
/// after <c>callDuration</c> of awaiting (a provider's HTTP call: no thread is held meanwhile). Counts every
/// idempotency key it sees, so that a step sent twice shows.
/// </summary>
/// <typeparam name="TMessage">The message kind.</typeparam>
public sealed class TimedChannel<TMessage>(TimeSpan callDuration) : IChannel<TMessage>
    where TMessage : class
{
    private readonly ConcurrentDictionary<string, int> _keys = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _allDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _expected = int.MaxValue;
    private int _started;
    private int _completed;

    /// <summary>Every call, in the order they started: the step's due time and when the channel was called.</summary>
    public ConcurrentQueue<TimedSend> Sends { get; } = new();

    /// <summary>How many calls started.</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>How many calls returned their receipt.</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>How many calls repeated an idempotency key already seen (a step sent twice).</summary>
    public int Repeated => _keys.Values.Sum(count => count - 1);

    /// <summary>How many distinct steps were sent.</summary>
    public int Distinct => _keys.Count;

    /// <summary>Completes once <paramref name="expected"/> calls have returned.</summary>
    public Task AllDone(int expected)
    {
        Volatile.Write(ref _expected, expected);
        if (Completed >= expected)
        {
            _allDone.TrySetResult();
        }

        return _allDone.Task;
    }

    public async ValueTask<DeliveryReceipt> SendAsync(Delivery<TMessage> delivery, CancellationToken cancellationToken)
    {
        Sends.Enqueue(new TimedSend(delivery.DueAt, Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow())));
        Interlocked.Increment(ref _started);
        _keys.AddOrUpdate(delivery.IdempotencyKey, 1, (_, count) => count + 1);
        if (callDuration > TimeSpan.Zero)
        {
            await Task.Delay(callDuration, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }

        if (Interlocked.Increment(ref _completed) >= Volatile.Read(ref _expected))
        {
            _allDone.TrySetResult();
        }

        return DeliveryReceipt.Sent();
    }
}
