namespace Recovery.Journeys.Reports;

/// <summary>One group of a journey with a holdout.</summary>
/// <param name="Name"><c>journey</c> or <c>holdout</c>.</param>
/// <param name="Entered">Instances that entered in the group.</param>
/// <param name="Converted">How many of them converted.</param>
/// <param name="Revenue">Their conversions' value.</param>
public sealed record GroupReport(string Name, int Entered, int Converted, decimal Revenue)
{
    /// <summary>Converted per entered; 0 when none entered.</summary>
    public double ConversionRate => Entered == 0 ? 0 : (double)Converted / Entered;
}
