using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using NodaTime;

namespace Recovery.Journeys.Benchmarks.Lateness;

/// <summary>
/// Records every garbage-collection pause of this process while it lives: from the runtime's own GC events (the
/// execution engine suspended for a collection, then restarted), with the deepest generation collected meanwhile.
/// Each pause carries the bytes its collection promoted (survivors of generations 0 and 1), which the machine's load
/// does not change. Listens at the informational level only (no allocation ticks), so that it costs a few events per collection.
/// </summary>
public sealed class GcPauseRecorder : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const long GcKeyword = 0x1;
    private const int GcStart = 1;
    private const int GcRestartEeEnd = 3;
    private const int GcHeapStats = 4;
    private const int GcSuspendEeBegin = 9;

    private readonly ConcurrentQueue<GcPause> _pauses = new();
    private readonly Lock _gate = new();
    private DateTime? _suspendedAt;
    private int _generation = -1;
    private bool _background;
    private long _promoted;

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
                    break;
                case GcHeapStats when _suspendedAt is not null:
                    // Payload: GenerationSize0, TotalPromotedSize0, GenerationSize1, TotalPromotedSize1, ...: what the collection copied or kept.
                    _promoted = Convert.ToInt64(eventData.Payload![1], System.Globalization.CultureInfo.InvariantCulture)
                        + Convert.ToInt64(eventData.Payload[3], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case GcStart when _suspendedAt is not null:
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
                        _promoted));
                    _suspendedAt = null;
                    break;
            }
        }
    }
}
