namespace Recovery.Journeys.Reports;

/// <summary>
/// One variant: the instances assigned to it (holdout left out), how many of them converted (at any time after
/// the assignment, whichever message they had), and how that compares with the other variants taken together.
/// </summary>
/// <param name="Name">The variant.</param>
/// <param name="Weight">Its weight in percent, or 0 for a variant no longer in the definition.</param>
/// <param name="Assigned">Instances assigned to it.</param>
/// <param name="Converted">How many of them converted.</param>
/// <param name="Revenue">Their conversions' value.</param>
/// <param name="VersusOthers">This variant against the others pooled, or <see langword="null"/> when either side is empty.</param>
public sealed record VariantReport(string Name, int Weight, int Assigned, int Converted, decimal Revenue, Uplift? VersusOthers)
{
    /// <summary>Converted per assigned; 0 when none was assigned.</summary>
    public double ConversionRate => Assigned == 0 ? 0 : (double)Converted / Assigned;
}
