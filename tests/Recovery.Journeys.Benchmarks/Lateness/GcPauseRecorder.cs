using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using NodaTime;

namespace Recovery.Journeys.Benchmarks.Lateness;

/// <summary>
/// Records every garbage-collection pause of this process while it lives: from the runtime's own GC events (the
/// execution engine suspended for a collection, then restarted), with the deepest generation collected meanwhile.
/// Each pause carries the bytes its collection promoted (survivors of generations 0 and 1), which the machine's load
/// does not change, and where the pause went (<see cref="GcPausePhases"/>: suspension, mark through the cards, plan,
/// relocate and compact, restart). Listens at the informational level only (no allocation ticks), so that it costs a
/// few events per collection.
/// </summary>
public sealed class GcPauseRecorder : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const long GcKeyword = 0x1;
    private const int GcStart = 1;
    private const int GcRestartEeEnd = 3;
    private const int GcHeapStats = 4;
    private const int GcRestartEeBegin = 7;
    private const int GcSuspendEeEnd = 8;
    private const int GcSuspendEeBegin = 9;
    private const int GcMarkWithType = 202;
    private const int GcGlobalHeapHistory = 205;
    private const int MarkOlderGeneration = 3;
    private const int CompactionMechanism = 0x2;

    private readonly ConcurrentQueue<GcPause> _pauses = new();
    private readonly Lock _gate = new();
    private DateTime? _suspendedAt;
    private int _generation = -1;
    private bool _background;
    private long _promoted;
    private DateTime? _suspended;
    private DateTime? _lastMark;
    private DateTime? _restarting;
    private TimeSpan _markCards;
    private TimeSpan _afterMark;
    private long _cardPromoted;
    private long _markPromoted;
    private bool _compacting;
    private bool _collected;

    /// <summary>The pauses recorded so far, in the order they ended.</summary>
    public IReadOnlyList<GcPause> Pauses => [.. _pauses];

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        ArgumentNullException.ThrowIfNull(eventSource);
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        lock (_gate)
        {
            switch (eventData.EventId)
            {
                case GcSuspendEeBegin:
                    _suspendedAt = eventData.TimeStamp;
                    _generation = -1;
                    _background = false;
                    _promoted = 0;
                    _suspended = null;
                    _lastMark = null;
                    _restarting = null;
                    _markCards = TimeSpan.Zero;
                    _afterMark = TimeSpan.Zero;
                    _cardPromoted = 0;
                    _markPromoted = 0;
                    _compacting = false;
                    _collected = false;
                    break;
                case GcSuspendEeEnd when _suspendedAt is not null:
                    _suspended = eventData.TimeStamp;
                    break;
                case GcMarkWithType when _suspendedAt is not null:
                    // Payload: HeapNum, ClrInstanceID, Type (0 stack, 1 finalize queue, 2 handles, 3 older generation = cards, ...), Bytes.
                    var bytes = Convert.ToInt64(eventData.Payload![3], System.Globalization.CultureInfo.InvariantCulture);
                    _markPromoted += bytes;
                    if (Convert.ToInt32(eventData.Payload[2], System.Globalization.CultureInfo.InvariantCulture) == MarkOlderGeneration && _lastMark is { } previous)
                    {
                        _markCards += eventData.TimeStamp - previous;
                        _cardPromoted += bytes;
                    }

                    _lastMark = eventData.TimeStamp;
                    break;
                case GcGlobalHeapHistory when _suspendedAt is not null:
                    // Payload: FinalYoungestDesired, NumHeaps, CondemnedGeneration, Gen0ReductionCount, Reason, GlobalMechanisms, ...
                    _afterMark += _lastMark is { } marked ? eventData.TimeStamp - marked : TimeSpan.Zero;
                    _compacting |= (Convert.ToInt32(eventData.Payload![5], System.Globalization.CultureInfo.InvariantCulture) & CompactionMechanism) != 0;
                    _collected = true;
                    _lastMark = null;
                    break;
                case GcRestartEeBegin when _suspendedAt is not null:
                    _restarting = eventData.TimeStamp;
                    break;
                case GcHeapStats when _suspendedAt is not null:
                    // Payload: GenerationSize0, TotalPromotedSize0, GenerationSize1, TotalPromotedSize1, ...: what the collection copied or kept.
                    _promoted = Convert.ToInt64(eventData.Payload![1], System.Globalization.CultureInfo.InvariantCulture)
                        + Convert.ToInt64(eventData.Payload[3], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case GcStart when _suspendedAt is not null:
                    _lastMark = eventData.TimeStamp;
                    // Payload: Count, Depth, Reason, Type (0 blocking, 1 background, 2 foreground during a background one).
                    _generation = Math.Max(_generation, Convert.ToInt32(eventData.Payload![1], System.Globalization.CultureInfo.InvariantCulture));
                    _background |= Convert.ToInt32(eventData.Payload[3], System.Globalization.CultureInfo.InvariantCulture) == 1;
                    break;
                case GcRestartEeEnd when _suspendedAt is { } start:
                    _pauses.Enqueue(new GcPause(
                        Instant.FromDateTimeUtc(DateTime.SpecifyKind(start.ToUniversalTime(), DateTimeKind.Utc)),
                        Instant.FromDateTimeUtc(DateTime.SpecifyKind(eventData.TimeStamp.ToUniversalTime(), DateTimeKind.Utc)),
                        _generation,
                        _background,
                        _promoted,
                        _collected ? Phases(start, eventData.TimeStamp) : null));
                    _suspendedAt = null;
                    break;
            }
        }
    }

    private GcPausePhases Phases(DateTime start, DateTime end) => new(
        Duration.FromTimeSpan((_suspended ?? start) - start),
        Duration.FromTimeSpan(_markCards),
        Duration.FromTimeSpan(_afterMark),
        Duration.FromTimeSpan(end - (_restarting ?? end)),
        _cardPromoted,
        _markPromoted,
        _compacting);
}
