namespace Recovery.Journeys.Definition;

/// <summary>One variant of an experiment.</summary>
/// <param name="Name">The variant's name, recorded on the instance and in reports.</param>
/// <param name="Weight">The share of customers who get it, in percent.</param>
public readonly record struct ExperimentVariant(string Name, int Weight);
