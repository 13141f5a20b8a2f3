using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Scheduling;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.PostgreSql.Tests;

/// <summary>
/// What a scheduler and its engine did, in order: the signals of the wake-up source (<c>look now</c>, or <c>notify</c>
/// with the due instant), each scan (<c>scan</c>, when the dispatcher is asked to run what is due), each send, and
/// the test's own marks.
/// </summary>
internal sealed class WakeUpLog
{
    private readonly List<string> _entries = [];
    private readonly TaskCompletionSource _lookedAfterListening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _listening;

    public void Add(string entry)
    {
        lock (_entries)
        {
            _entries.Add(entry);
        }
    }

    public IReadOnlyList<string> After(string mark)
    {
        lock (_entries)
        {
            return _entries.Skip(_entries.IndexOf(mark) + 1).ToList();
        }
    }

    public void Signalled(Instant due)
    {
        lock (_entries)
        {
            _entries.Add(due == Instant.MinValue ? "look now" : $"notify {due}");
            _listening |= due == Instant.MinValue;
        }
    }

    public void ScanFinished()
    {
        lock (_entries)
        {
            // A scan that began after "look now" has seen everything written before LISTEN was in place.
            var lookNow = _entries.IndexOf("look now");
            if (_listening && _entries.LastIndexOf("scan") > lookNow)
            {
                _lookedAfterListening.TrySetResult();
            }
        }
    }

    /// <summary>Completes once LISTEN is in place and a scan that began after it has finished.</summary>
    public Task LookedAfterListeningAsync() => _lookedAfterListening.Task;
}

/// <summary>The store's LISTEN, with every signal it gives the scheduler written to the log first.</summary>
internal sealed class RecordingWakeUpSource(IJourneyWakeUpSource source, WakeUpLog log) : IJourneyWakeUpSource
{
    public Task ListenAsync(Action<Instant> wakeUp, CancellationToken cancellationToken) =>
        source.ListenAsync(
            due =>
            {
                log.Signalled(due);
                wakeUp(due);
            },
            cancellationToken);
}

/// <summary>The engine, with every scan the scheduler asks of it written to the log.</summary>
internal sealed class RecordingDispatcher(IJourneyDispatcher engine, WakeUpLog log) : IJourneyDispatcher
{
    public async ValueTask<int> RunDueAsync(CancellationToken cancellationToken)
    {
        log.Add("scan");
        var ran = await engine.RunDueAsync(cancellationToken);
        log.ScanFinished();
        return ran;
    }

    public ValueTask<bool> RunInstanceAsync(JourneyInstanceId instanceId, CancellationToken cancellationToken) =>
        engine.RunInstanceAsync(instanceId, cancellationToken);

    public ValueTask<Instant?> GetNextWakeUpAsync(CancellationToken cancellationToken) => engine.GetNextWakeUpAsync(cancellationToken);
}
