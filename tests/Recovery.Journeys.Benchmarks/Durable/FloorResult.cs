namespace Recovery.Journeys.Benchmarks.Durable;

/// <summary>
/// A floor of the durable run: the same statements as an engine step, without the engine, on a copy of the same rows.
/// </summary>
/// <param name="Transactions">Steps' transactions committed.</param>
/// <param name="PerSecond">Transactions per second.</param>
/// <param name="Correct">Whether every transaction the floor meant to run ran.</param>
/// <param name="Check">What ran, or what failed.</param>
/// <param name="Load">The machine's load during the floor (<see cref="Shared.MachineLoad"/>).</param>
/// <param name="ClientCores">The cores the floor's client used (pgbench, or this process's loop).</param>
public sealed record FloorResult(long Transactions, double PerSecond, bool Correct, string Check, string Load, double ClientCores);
