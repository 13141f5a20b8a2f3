using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Runtime;

/// <summary>
/// The journeys paused now, as the router needs them for every trigger: read from the store at most once a second
/// (pauses made by another process are seen within that), and at once after this engine pauses or resumes one.
/// </summary>
internal sealed class PausedJourneys(IJourneyStore store, TimeProvider timeProvider)
{
    private static readonly Duration Freshness = Duration.FromSeconds(1);
    private volatile Snapshot? _snapshot;

    /// <summary>The pause of a journey, or <see langword="null"/> when it runs.</summary>
    public ValueTask<JourneyPause?> OfAsync(string journeyName, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetCurrentInstant();
        var snapshot = _snapshot;

        // A fresh snapshot (nearly every call) answers at once, without a method of state.
        return snapshot is null || now - snapshot.ReadAt >= Freshness
            ? ReadAsync(journeyName, now, cancellationToken)
            : new(snapshot.Pauses.GetValueOrDefault(journeyName));
    }

    private async ValueTask<JourneyPause?> ReadAsync(string journeyName, Instant now, CancellationToken cancellationToken)
    {
        var pauses = await store.GetPausesAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = new Snapshot(now, pauses.ToDictionary(p => p.JourneyName, StringComparer.Ordinal));
        _snapshot = snapshot;
        return snapshot.Pauses.GetValueOrDefault(journeyName);
    }

    /// <summary>Forgets what was read, after this engine changed a pause.</summary>
    public void Invalidate() => _snapshot = null;

    private sealed record Snapshot(Instant ReadAt, Dictionary<string, JourneyPause> Pauses);
}
