namespace Recovery.Journeys.Reports;

/// <summary>The journey's own effect: customers who got its messages against the holdout, who got none.</summary>
/// <param name="Percent">The holdout's share of customers, in percent.</param>
/// <param name="Journey">The customers who got the journey.</param>
/// <param name="Holdout">The customers held out.</param>
/// <param name="Uplift">The journey group against the holdout, or <see langword="null"/> when either is empty.</param>
public sealed record HoldoutReport(int Percent, GroupReport Journey, GroupReport Holdout, Uplift? Uplift)
{
    /// <summary>The revenue the journey brought beyond what its customers would have paid anyway, or <see langword="null"/> when a group has fewer than two customers.</summary>
    public IncrementalRevenue? IncrementalRevenue { get; init; }
}
