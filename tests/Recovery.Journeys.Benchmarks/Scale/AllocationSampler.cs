using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Recovery.Journeys.Benchmarks.Scale;

/// <summary>
/// Samples the runtime's allocation ticks (one event per ~100 KB allocated) by type, to find what a run allocates
/// most: <c>scale N --allocations</c>.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private readonly ConcurrentDictionary<string, long> _bytesByType = new();

    public bool Recording { get; set; }

    public IEnumerable<(string Type, long Bytes)> Top(int count) =>
        _bytesByType.OrderByDescending(p => p.Value).Take(count).Select(p => (p.Key, p.Value));

    /// <summary>Returns what was sampled so far, largest first, and starts afresh.</summary>
    public IReadOnlyList<(string Type, long Bytes)> TakeTop(int count)
    {
        var top = Top(count).ToList();
        _bytesByType.Clear();
        return top;
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!Recording || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is null)
        {
            return;
        }

        var type = eventData.Payload![eventData.PayloadNames.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(eventData.Payload[eventData.PayloadNames.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
        _bytesByType.AddOrUpdate(type, amount, (_, total) => total + amount);
    }
}
