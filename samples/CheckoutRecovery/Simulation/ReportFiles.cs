using System.Globalization;
using Recovery.Journeys.Reports;

namespace CheckoutRecovery.Simulation;

/// <summary>Writes the report's pictures and page in the shop's culture and currency: the funnel, the variants and the daily trend as SVG, and an HTML page with them.</summary>
public static class ReportFiles
{
    /// <summary>The funnel picture the README shows.</summary>
    public const string Funnel = "checkout-recovery-funnel.svg";

    /// <summary>The A/B test and the holdout compared.</summary>
    public const string Variants = "checkout-recovery-variants.svg";

    /// <summary>Entries and payments day by day.</summary>
    public const string Trend = "checkout-recovery-trend.svg";

    /// <summary>A self-contained page with the pictures and the report's tables.</summary>
    public const string Page = "checkout-recovery-report.html";

    /// <summary>The shop's culture and currency, which the pictures write figures and money in.</summary>
    public static ReportFormat Format { get; } = new(CultureInfo.GetCultureInfo("fr-FR"), "EUR");

    /// <summary>What each file holds for a report.</summary>
    /// <param name="report">The journey's report.</param>
    public static IReadOnlyDictionary<string, string> Render(JourneyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Funnel] = report.ToFunnelSvg(Format),
            [Variants] = report.ToComparisonSvg(Format),
            [Trend] = report.ToTrendSvg(Format),
            [Page] = report.ToHtml(Format),
        };
    }

    /// <summary>Writes the files into <paramref name="directory"/>, creating it if needed; returns their paths.</summary>
    /// <param name="report">The journey's report.</param>
    /// <param name="directory">Where to write them.</param>
    public static IReadOnlyList<string> Write(JourneyReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        return Render(report).Select(file =>
        {
            var path = Path.Combine(directory, file.Key);
            File.WriteAllText(path, file.Value.ReplaceLineEndings("\n"));
            return path;
        }).ToList();
    }
}
