using Recovery.Journeys.Reports;

namespace CheckoutRecovery.Simulation;

/// <summary>Writes the report's pictures and page: the funnel and the variants as SVG, and an HTML page with both.</summary>
public static class ReportFiles
{
    /// <summary>The funnel picture the README shows.</summary>
    public const string Funnel = "checkout-recovery-funnel.svg";

    /// <summary>The A/B test and the holdout compared.</summary>
    public const string Variants = "checkout-recovery-variants.svg";

    /// <summary>A self-contained page with both pictures and the report's tables.</summary>
    public const string Page = "checkout-recovery-report.html";

    /// <summary>What each file holds for a report.</summary>
    /// <param name="report">The journey's report.</param>
    public static IReadOnlyDictionary<string, string> Render(JourneyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Funnel] = report.ToFunnelSvg(),
            [Variants] = report.ToComparisonSvg(),
            [Page] = report.ToHtml(),
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

    /// <summary>The repository's docs/images when run from inside the repository (so the README shows the latest run), else the current directory.</summary>
    public static string DefaultDirectory()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Recovery.Journeys.sln")))
            {
                return Path.Combine(directory.FullName, "docs", "images");
            }
        }

        return Environment.CurrentDirectory;
    }
}
