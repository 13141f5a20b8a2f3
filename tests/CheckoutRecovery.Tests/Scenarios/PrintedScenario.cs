using System.Globalization;
using System.Text.RegularExpressions;
using CheckoutRecovery.Scenarios;

namespace CheckoutRecovery.Tests.Scenarios;

/// <summary>
/// Runs a scenario the way <c>--scenario</c> does (printed, pictures into a fresh folder) and reads back what it
/// printed: the report's totals and tables as text cells, and each featured customer's section.
/// </summary>
public sealed partial class PrintedScenario
{
    private readonly string[] _lines;

    private PrintedScenario(string text, string pictures, CultureInfo culture)
    {
        Text = text;
        Pictures = pictures;
        Culture = culture;
        _lines = text.ReplaceLineEndings("\n").Split('\n');
    }

    /// <summary>Everything printed.</summary>
    public string Text { get; }

    /// <summary>The folder the pictures were written to.</summary>
    public string Pictures { get; }

    /// <summary>The shop's culture, for the expected figures.</summary>
    public CultureInfo Culture { get; }

    /// <summary>Runs the scenario into a fresh temporary folder, removed afterwards unless <paramref name="keepPictures"/>.</summary>
    public static async Task<PrintedScenario> RunAsync(IScenario scenario, ScenarioOptions options, string culture, bool keepPictures = false)
    {
        var pictures = Path.Combine(Path.GetTempPath(), $"scenario-{scenario.Id}-{Guid.NewGuid():N}");
        var output = new StringWriter();
        await ScenarioCatalog.RunAndPrintAsync(scenario, options, output, pictures);
        if (!keepPictures)
        {
            Directory.Delete(pictures, recursive: true);
        }

        return new PrintedScenario(output.ToString(), pictures, CultureInfo.GetCultureInfo(culture));
    }

    /// <summary>A count as the shop writes it (.NET's own formatting of the culture, not the library's).</summary>
    public string Count(int count) => count.ToString("N0", Culture);

    /// <summary>An amount as the shop writes it: the culture's currency format, whose currency is the shop's.</summary>
    public string Money(decimal amount) => amount.ToString("C2", Culture);

    /// <summary>A rate as the report writes it: a percentage with at most one decimal, in the culture's own percent format (.NET's, not the library's).</summary>
    public string Percent(int part, int whole)
    {
        var percent = whole == 0 ? 0 : part * 100.0 / whole;
        return (percent / 100).ToString(Math.Round(percent, 1, MidpointRounding.AwayFromZero) % 1 == 0 ? "P0" : "P1", Culture);
    }

    /// <summary>The value cells of a line of the report's totals (<c>entered</c>, <c>paid</c>, ...).</summary>
    public string[] Total(string label) => Rows(_lines, "== Report of ", header: false)
        .Single(r => r[0] == label)[1..];

    /// <summary>The rows of a table, by the start of the line that introduces it (<c>Steps:</c>), header left out.</summary>
    public IReadOnlyList<string[]> Table(string heading) => Rows(_lines, heading, header: true).ToList();

    /// <summary>A table's row by its first cell, the other cells.</summary>
    public string[] Row(string heading, string first) => Table(heading).Single(r => r[0] == first)[1..];

    /// <summary>The skip reasons printed under a step: reason, count as printed.</summary>
    public IReadOnlyDictionary<string, string> SkipReasons(string step)
    {
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        var start = Array.FindIndex(_lines, l => l.StartsWith("Steps:", StringComparison.Ordinal));
        var at = Array.FindIndex(_lines, start, l => Cells(l)[0] == step);
        for (var i = at + 1; i < _lines.Length && SkipLine().Match(_lines[i]) is { Success: true } match; i++)
        {
            reasons[match.Groups[1].Value] = match.Groups[2].Value;
        }

        return reasons;
    }

    /// <summary>The lines of a featured customer's section, from its <c>== title ==</c> to the next section.</summary>
    public string Section(string title)
    {
        var start = Array.IndexOf(_lines, $"== {title} ==");
        if (start < 0)
        {
            throw new InvalidOperationException($"No section '{title}' in:\n{Text}");
        }

        var end = Array.FindIndex(_lines, start + 1, l => l.StartsWith("== ", StringComparison.Ordinal));
        return string.Join("\n", _lines[start..end]);
    }

    private static IEnumerable<string[]> Rows(IEnumerable<string> lines, string heading, bool header) =>
        lines.SkipWhile(l => !l.StartsWith(heading, StringComparison.Ordinal)).Skip(header ? 2 : 1)
            .TakeWhile(l => l.Length > 0)
            .Where(l => !SkipLine().IsMatch(l))
            .Select(Cells);

    // Columns are at least two spaces apart; grouped digits use no-break spaces, never two plain ones.
    private static string[] Cells(string line) => ColumnGap().Split(line.Trim());

    [GeneratedRegex(" {2,}")]
    private static partial Regex ColumnGap();

    [GeneratedRegex(@"^ {6}skipped, (.+): (\S+)$")]
    private static partial Regex SkipLine();
}
