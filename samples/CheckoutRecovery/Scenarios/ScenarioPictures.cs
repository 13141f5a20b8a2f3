using Recovery.Journeys.Reports;

namespace CheckoutRecovery.Scenarios;

/// <summary>Writes a scenario's report pictures in the shop's culture and currency: funnel, daily trend, comparisons, and an HTML page with all of them.</summary>
public static class ScenarioPictures
{
    /// <summary>The file names and contents for a scenario's report.</summary>
    /// <param name="id">The scenario's id, the files' prefix (<c>s3-funnel.svg</c>).</param>
    /// <param name="result">Its run.</param>
    public static IReadOnlyDictionary<string, string> Render(string id, ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var format = result.Shop.Format;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [$"{id}-funnel.svg"] = result.Report.ToFunnelSvg(format),
            [$"{id}-trend.svg"] = result.Report.ToTrendSvg(format),
            [$"{id}-comparison.svg"] = result.Report.ToComparisonSvg(format),
            [$"{id}-report.html"] = result.Report.ToHtml(format),
        };
    }

    /// <summary>Writes them into <paramref name="directory"/>, creating it if needed; returns their paths.</summary>
    /// <param name="id">The scenario's id.</param>
    /// <param name="result">Its run.</param>
    /// <param name="directory">Where to write them.</param>
    public static IReadOnlyList<string> Write(string id, ScenarioResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        return Render(id, result).Select(file =>
        {
            var path = Path.Combine(directory, file.Key);
            File.WriteAllText(path, file.Value.ReplaceLineEndings("\n"));
            return path;
        }).ToList();
    }
}
