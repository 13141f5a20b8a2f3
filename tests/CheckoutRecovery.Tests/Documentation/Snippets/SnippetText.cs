namespace CheckoutRecovery.Tests.Documentation.Snippets;

/// <summary>
/// The form in which a docs block and its code region are compared: lines (any line ending), trailing white space
/// removed, blank lines at either end removed, and the indentation all lines share removed (a region sits inside a
/// class or a method, its block at the page's margin). Nothing else is forgiven: every line, in order.
/// </summary>
internal static class SnippetText
{
    public static IReadOnlyList<string> Normalise(IEnumerable<string> lines)
    {
        var trimmed = lines.Select(l => l.ReplaceLineEndings(string.Empty).TrimEnd()).ToList();
        var first = trimmed.FindIndex(l => l.Length > 0);
        if (first < 0)
        {
            return [];
        }

        var last = trimmed.FindLastIndex(l => l.Length > 0);
        var body = trimmed.GetRange(first, last - first + 1);
        var indentation = body.Where(l => l.Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return body.Select(l => l.Length == 0 ? l : l[indentation..]).ToList();
    }

    /// <summary>Where two normalised texts first differ, said for a person, or <see langword="null"/> when they are equal.</summary>
    public static string? FirstDifference(IReadOnlyList<string> documented, IReadOnlyList<string> compiled)
    {
        for (var i = 0; i < Math.Max(documented.Count, compiled.Count); i++)
        {
            var doc = i < documented.Count ? documented[i] : null;
            var code = i < compiled.Count ? compiled[i] : null;
            if (doc != code)
            {
                return $"line {i + 1} of the block: the page has {Show(doc)}, the code has {Show(code)} " +
                    $"({documented.Count} lines on the page, {compiled.Count} in the code)";
            }
        }

        return null;
    }

    private static string Show(string? line) => line is null ? "nothing (it ends here)" : $"`{line.Trim()}`";
}
