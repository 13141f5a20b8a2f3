namespace Recovery.Journeys.Benchmarks.Lateness;

/// <summary>What a lateness run saw.</summary>
/// <param name="Published">Fast steps expected (checkouts of the fast journey published).</param>
/// <param name="Sent">Fast channel calls.</param>
/// <param name="Repeated">Fast calls that repeated an idempotency key (a step sent twice).</param>
/// <param name="Fast">Send time minus due time of the fast steps due after the warm-up.</param>
/// <param name="Early">Sends, fast or slow, that happened before their due time (warm-up included).</param>
/// <param name="SlowPublished">Slow steps expected.</param>
/// <param name="SlowStarted">Slow channel calls started.</param>
/// <param name="SlowCompleted">Slow channel calls that returned their receipt.</param>
/// <param name="SlowRepeated">Slow calls that repeated an idempotency key.</param>
/// <param name="Slow">Call time minus due time of the slow steps due after the warm-up.</param>
/// <param name="Load">The machine's load line (this process's cores, other processes').</param>
/// <param name="Runtime">Garbage collections and thread pool threads during the run.</param>
/// <param name="Gc">The garbage-collection pauses while the fast steps were measured, and the share of their lateness they explain.</param>
public sealed record LatenessResult(
    int Published,
    int Sent,
    int Repeated,
    LatenessPercentiles Fast,
    int Early,
    int SlowPublished,
    int SlowStarted,
    int SlowCompleted,
    int SlowRepeated,
    LatenessPercentiles Slow,
    string Load,
    string Runtime,
    GcLatenessShare Gc)
{
    /// <summary>Every step sent exactly once, none early, every slow call completed: what the CI smoke run checks.</summary>
    public bool Correct =>
        Sent == Published && Repeated == 0 && Early == 0
        && SlowStarted == SlowPublished && SlowCompleted == SlowPublished && SlowRepeated == 0;

    /// <summary>What is wrong, for a failed check.</summary>
    public string Check =>
        $"fast: {Sent} of {Published} sent, {Repeated} repeated; slow: {SlowStarted} started and {SlowCompleted} completed of {SlowPublished}, {SlowRepeated} repeated; {Early} early";
}
