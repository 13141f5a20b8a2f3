using System.Globalization;
using NodaTime;

namespace Recovery.Journeys.Benchmarks.Lateness;

/// <summary>
/// How much of the fast steps' lateness garbage-collection pauses explain: a step was held up by a pause when the
/// pause overlaps the time between its due instant and its send; its lateness less those overlaps is what is left for
/// everything else (the timer, the thread pool, the machine's other work).
/// </summary>
/// <param name="Pauses">The pauses from the first measured due instant to the last send.</param>
/// <param name="Over10Ms">Steps more than 10 ms late.</param>
/// <param name="Over10MsBehindPause">Of those, the steps a pause overlapped.</param>
/// <param name="TailSteps">Steps at or over the p99 lateness.</param>
/// <param name="TailBehindPause">Of those, the steps a pause overlapped.</param>
/// <param name="WithoutPauses">Percentiles of each step's lateness less the pause time it overlapped.</param>
public sealed record GcLatenessShare(
    IReadOnlyList<GcPause> Pauses,
    int Over10Ms,
    int Over10MsBehindPause,
    int TailSteps,
    int TailBehindPause,
    LatenessPercentiles WithoutPauses)
{
    /// <summary>The share of the measured <paramref name="sends"/>' lateness that <paramref name="pauses"/> explain.</summary>
    public static GcLatenessShare Of(IReadOnlyList<TimedSend> sends, IReadOnlyList<GcPause> pauses, double p99Milliseconds)
    {
        ArgumentNullException.ThrowIfNull(sends);
        ArgumentNullException.ThrowIfNull(pauses);
        if (sends.Count == 0)
        {
            return new GcLatenessShare([], 0, 0, 0, 0, LatenessPercentiles.Of([]));
        }

        var from = sends.Min(s => s.DueAt);
        var to = sends.Max(s => s.SentAt);
        var window = pauses.Where(p => p.End > from && p.Start < to).OrderBy(p => p.Start).ToArray();
        var starts = window.Select(p => p.Start).ToArray();
        var over10 = 0;
        var over10Behind = 0;
        var tail = 0;
        var tailBehind = 0;
        var left = new double[sends.Count];
        for (var i = 0; i < sends.Count; i++)
        {
            var send = sends[i];
            var late = (send.SentAt - send.DueAt).TotalMilliseconds;
            var overlap = Overlap(window, starts, send.DueAt, send.SentAt);
            left[i] = late - overlap.TotalMilliseconds;
            var behind = overlap > Duration.Zero;
            if (late > 10)
            {
                over10++;
                over10Behind += behind ? 1 : 0;
            }

            if (late >= p99Milliseconds)
            {
                tail++;
                tailBehind += behind ? 1 : 0;
            }
        }

        return new GcLatenessShare(window, over10, over10Behind, tail, tailBehind, LatenessPercentiles.Of(left));
    }

    public override string ToString()
    {
        var total = Pauses.Aggregate(Duration.Zero, (sum, p) => sum + p.Length).TotalMilliseconds;
        var byGeneration = string.Join(", ", Pauses.GroupBy(p => p.Background ? "bgc" : $"gen{Math.Max(p.Generation, 0)}").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count()}× max {g.Max(p => p.Length.TotalMilliseconds):F1} ms sum {g.Sum(p => p.Length.TotalMilliseconds):F0} ms promoted {g.Average(p => p.PromotedBytes) / 1048576.0:F1} MiB avg {g.Max(p => p.PromotedBytes) / 1048576.0:F1} max")));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"""
              GC pauses while measured: {Pauses.Count}, {total:F0} ms in all, longest {(Pauses.Count == 0 ? 0 : Pauses.Max(p => p.Length.TotalMilliseconds)):F1} ms ({byGeneration})
                steps > 10 ms late: {Over10Ms:N0}, {Over10MsBehindPause:N0} of them behind a GC pause; steps at or over p99: {TailSteps:N0}, {TailBehindPause:N0} behind a pause
                lateness less the pause time it overlapped: {WithoutPauses}
                {YoungPhases()}
            """);
    }

    private string YoungPhases()
    {
        // The young (gen0 and gen1) collections' pauses, by phase: where a pause that makes steps late goes.
        var young = Pauses.Where(p => !p.Background && p.Generation is 0 or 1 && p.Phases is not null).ToArray();
        if (young.Length == 0)
        {
            return "young collections: none measured";
        }

        var total = young.Sum(p => p.Length.TotalMilliseconds);
        string Phase(string name, Func<GcPausePhases, Duration> of)
        {
            var each = young.Select(p => of(p.Phases!).TotalMilliseconds).Order().ToArray();
            return string.Create(CultureInfo.InvariantCulture, $"{name} {100 * each.Sum() / total:F0} % (p50 {each[each.Length / 2]:F1}, max {each[^1]:F1} ms)");
        }

        var promoted = young.Sum(p => p.Phases!.MarkPromotedBytes);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"young collections: {young.Length} pauses, {young.Count(p => p.Phases!.Compacting)} compacting, {total:F0} ms: {Phase("suspend", p => p.Suspend)}, {Phase("mark through cards", p => p.MarkCards)}, {Phase("plan+relocate+compact", p => p.AfterMark)}, {Phase("restart", p => p.Restart)}; {100.0 * young.Sum(p => p.Phases!.CardPromotedBytes) / Math.Max(1, promoted):F0} % of the bytes marked were reached through the cards (from older objects)");
    }

    private static Duration Overlap(GcPause[] pauses, Instant[] starts, Instant from, Instant to)
    {
        // The first pause that could end after 'from': pauses do not overlap one another, so their ends are in order too.
        var index = Array.BinarySearch(starts, from);
        index = index < 0 ? Math.Max(0, ~index - 1) : index;
        var overlap = Duration.Zero;
        for (var i = index; i < pauses.Length && pauses[i].Start < to; i++)
        {
            var start = pauses[i].Start > from ? pauses[i].Start : from;
            var end = pauses[i].End < to ? pauses[i].End : to;
            if (end > start)
            {
                overlap += end - start;
            }
        }

        return overlap;
    }
}
