namespace Recovery.Journeys.Reports;

/// <summary>One experiment's variants compared.</summary>
/// <param name="Name">The experiment.</param>
/// <param name="Variants">Each variant, in the order declared.</param>
public sealed record ExperimentReport(string Name, IReadOnlyList<VariantReport> Variants);
