using NodaTime;

namespace Recovery.Journeys.Benchmarks.Lateness;

/// <summary>
/// One stop of every managed thread for the garbage collector: from the suspension's start to the restart's end.
/// </summary>
/// <param name="Start">When the runtime began suspending the threads.</param>
/// <param name="End">When every thread was running again.</param>
/// <param name="Generation">The deepest generation collected in the pause (-1: none started, as for a background collection's second stop).</param>
/// <param name="Background">The pause belongs to a background (concurrent) gen2 collection.</param>
/// <param name="PromotedBytes">The bytes of generations 0 and 1 that survived the collection in the pause (0 when none ended in it).</param>
/// <param name="Phases">Where the pause went, when a collection ran in it (null for a background collection's short stops).</param>
public sealed record GcPause(Instant Start, Instant End, int Generation, bool Background, long PromotedBytes, GcPausePhases? Phases = null)
{
    /// <summary>How long the threads were stopped.</summary>
    public Duration Length => End - Start;
}
