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
/// <remarks>
/// A shop's channel keeps nothing once it has sent; this one keeps each call for the report, in one array of structs
/// sized for the calls expected (<c>capacity</c>), so that the measurement adds no object per send to the heap the
/// collections it measures copy. A call's idempotency key is kept as the instance id and the step id it is made of
/// (<c>{instance id}:{step id}</c>, checked on each call without allocating; a key of another form counts as repeated).
/// </remarks>
/// <typeparam name="TMessage">The message kind.</typeparam>
public sealed class TimedChannel<TMessage>(TimeSpan callDuration, int capacity) : IChannel<TMessage>
    where TMessage : class
{
    private readonly Call[] _calls = new Call[Math.Max(0, capacity)];
    private readonly ConcurrentQueue<Call> _beyondCapacity = new();
    private readonly TaskCompletionSource _allDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _expected = int.MaxValue;
    private int _started;
    private int _completed;
    private int _malformedKeys;

    /// <summary>Every call, in the order they started: the step's due time and when the channel was called.</summary>
    public IReadOnlyList<TimedSend> Sends => [.. Calls().Select(c => c.Send)];

    /// <summary>How many calls started.</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>How many calls returned their receipt.</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>How many calls repeated an idempotency key already seen (a step sent twice), or had a key of another form.</summary>
    public int Repeated
    {
        get
        {
            var calls = Calls().ToArray();
            return calls.Length - calls.Select(c => (c.Instance, c.StepId)).Distinct().Count() + Volatile.Read(ref _malformedKeys);
        }
    }

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
        ArgumentNullException.ThrowIfNull(delivery);
        var call = new Call(new TimedSend(delivery.DueAt, Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow())), delivery.InstanceId.Value, delivery.StepId);
        var index = Interlocked.Increment(ref _started) - 1;
        if (index < _calls.Length)
        {
            _calls[index] = call;
        }
        else
        {
            _beyondCapacity.Enqueue(call);
        }

        if (!IsKeyOf(delivery.IdempotencyKey, delivery.InstanceId.Value, delivery.StepId))
        {
            Interlocked.Increment(ref _malformedKeys);
        }

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

    private static bool IsKeyOf(string key, Guid instance, string stepId)
    {
        Span<char> id = stackalloc char[32];
        return instance.TryFormat(id, out var written, "N")
            && key.Length == written + 1 + stepId.Length
            && key.AsSpan(0, written).SequenceEqual(id[..written])
            && key[written] == ':'
            && key.AsSpan(written + 1).SequenceEqual(stepId);
    }

    private IEnumerable<Call> Calls() => _calls.Take(Math.Min(Started, _calls.Length)).Concat(_beyondCapacity);

    private readonly record struct Call(TimedSend Send, Guid Instance, string StepId);
}
