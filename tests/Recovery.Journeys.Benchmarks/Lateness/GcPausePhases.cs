using NodaTime;

namespace Recovery.Journeys.Benchmarks.Lateness;

/// <summary>
/// Where one collection's pause went, from the runtime's GC events (docs/performance.md section 5): the suspension,
/// the mark through the older generation's cards (references from older objects into the collected ones), what
/// follows the mark (plan, relocate and compact, or sweep) and the restart.
/// </summary>
/// <param name="Suspend">From the suspension's start to every thread stopped.</param>
/// <param name="MarkCards">Marking what older objects reference (the <c>GCMarkWithType</c> event of the older generation, timed from the event before it).</param>
/// <param name="AfterMark">From the last mark event to the collection's global history: plan, relocate and compact (or sweep).</param>
/// <param name="Restart">From the restart's start to every thread running.</param>
/// <param name="CardPromotedBytes">The bytes the mark through the cards promoted (reached only from older objects).</param>
/// <param name="MarkPromotedBytes">The bytes every mark root kind promoted.</param>
/// <param name="Compacting">The collection compacted (moved its survivors) rather than swept.</param>
public sealed record GcPausePhases(
    Duration Suspend,
    Duration MarkCards,
    Duration AfterMark,
    Duration Restart,
    long CardPromotedBytes,
    long MarkPromotedBytes,
    bool Compacting);
