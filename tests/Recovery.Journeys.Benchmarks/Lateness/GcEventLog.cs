using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Recovery.Journeys.Benchmarks.Lateness;

/// <summary>
/// The lateness run's <c>--gc-events FILE</c>: every GC event of the runtime at the informational level (suspension,
/// start, each mark phase's <c>GCMarkWithType</c> with the bytes that root kind promoted, per-heap and global history,
/// heap stats, restart), one line each with its timestamp and payload, written to a file at the end of the run, so
/// that a collection's pause can be split into time to suspend, mark per root kind, the rest (plan, relocate or
/// sweep, compact) and restart. Costs a few events per collection, kept as text until the end.
/// </summary>
/// <param name="verbose">Listen at the verbose level as well: allocation ticks (a sampled type every 100 KB allocated) and, under server GC, each join between the GC's phases.</param>
public sealed class GcEventLog(bool verbose) : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const long GcKeyword = 0x1;
    private readonly ConcurrentQueue<string> _lines = new();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        ArgumentNullException.ThrowIfNull(eventSource);
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, verbose ? EventLevel.Verbose : EventLevel.Informational, (EventKeywords)GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        var fields = eventData.PayloadNames is { } names && eventData.Payload is { } payload
            ? string.Join(';', names.Zip(payload, (n, v) => string.Create(CultureInfo.InvariantCulture, $"{n}={v}")))
            : string.Empty;
        _lines.Enqueue(string.Create(CultureInfo.InvariantCulture, $"{eventData.TimeStamp.ToUniversalTime().Ticks}\t{eventData.EventId}\t{eventData.EventName}\t{eventData.OSThreadId}\t{fields}"));
    }

    /// <summary>Writes the events seen so far, tab-separated: UTC ticks, event id, name, OS thread, payload.</summary>
    public void WriteTo(string path) => File.WriteAllLines(path, _lines);
}
