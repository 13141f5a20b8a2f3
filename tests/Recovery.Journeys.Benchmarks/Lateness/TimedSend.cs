using NodaTime;

namespace Recovery.Journeys.Benchmarks.Lateness;

/// <summary>One channel call: the step's due time and the real time the channel was called.</summary>
public readonly record struct TimedSend(Instant DueAt, Instant SentAt);
