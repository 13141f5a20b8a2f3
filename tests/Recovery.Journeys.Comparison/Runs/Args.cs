using System.Globalization;

namespace Recovery.Journeys.Comparison.Runs;

/// <summary>The runs' command-line options (<c>--name value</c>) and the statistics they print.</summary>
public static class Args
{
    public static int Int(string[] args, string name, int fallback) =>
        Text(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public static string? Text(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    public static bool Flag(string[] args, string name) => args.Contains(name);

    /// <summary>The words before the first option: the frameworks to run, or every one.</summary>
    public static IReadOnlyList<string> Frameworks(string[] args)
    {
        var named = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        return named.Count > 0 ? named : ["library", "hangfire", "wolverine"];
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The value at or below which a share <paramref name="p"/> of the sorted values lie (nearest rank).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
