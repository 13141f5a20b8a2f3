namespace CheckoutRecovery.Tests.Documentation.Snippets;

/// <summary>
/// Matches the C# blocks of the pages with the code regions: every block names its region (or says it is a
/// fragment), each block is its region's text, whole and in order, and every region exists once and is shown once.
/// A block may join regions, <c>&lt;!-- snippet: usings + body --&gt;</c>: the using lines at the top of a compiled
/// file and the code inside one of its methods, shown as one block with a blank line between them.
/// </summary>
internal static class SnippetChecker
{
    /// <summary>The problems of some blocks (a page's), one sentence each; empty when they agree with the code.</summary>
    public static IReadOnlyList<string> CheckBlocks(IReadOnlyList<MarkdownBlock> blocks, IReadOnlyList<CodeRegion> regions)
    {
        var problems = new List<string>();
        foreach (var block in blocks)
        {
            if (block.SnippetId is null)
            {
                if (block.FragmentReason is null)
                {
                    problems.Add($"{block.Where}: the C# block has neither `<!-- snippet: id -->` nor `<!-- fragment: why -->` on the line above its fence");
                }

                continue;
            }

            var parts = PartsOf(block.SnippetId).Select(id => (Id: id, Region: regions.FirstOrDefault(r => r.Id == id))).ToList();
            if (parts.Find(p => p.Region is null) is { Id: { } missing })
            {
                problems.Add($"{block.Where}: no code region '{missing}' (`// begin-snippet: {missing}` ... `// end-snippet` in a compiled file)");
                continue;
            }

            var compiled = parts.SelectMany((p, i) => (i == 0 ? [] : new[] { string.Empty }).Concat(SnippetText.Normalise(p.Region!.Lines))).ToList();
            if (SnippetText.FirstDifference(SnippetText.Normalise(block.Lines), compiled) is { } difference)
            {
                problems.Add($"{block.Where}: the block '{block.SnippetId}' differs from its region at {string.Join(" + ", parts.Select(p => p.Region!.Where))}, {difference}");
            }
        }

        return problems;
    }

    /// <summary>The problems of the regions against every block of every page: a region defined twice, shown twice or never.</summary>
    public static IReadOnlyList<string> CheckRegions(IReadOnlyList<MarkdownBlock> allBlocks, IReadOnlyList<CodeRegion> regions)
    {
        var byId = regions.GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.ToList());
        var shown = allBlocks.Where(b => b.SnippetId is not null)
            .SelectMany(b => PartsOf(b.SnippetId!).Select(id => (Id: id, Block: b)))
            .GroupBy(s => s.Id)
            .ToDictionary(g => g.Key, g => g.Select(s => s.Block).ToList());
        return byId.Where(g => g.Value.Count > 1)
            .Select(g => $"the region '{g.Key}' is defined {g.Value.Count} times: {string.Join(", ", g.Value.Select(r => r.Where))}")
            .Concat(shown.Where(g => g.Value.Count > 1).Select(g =>
                $"the snippet '{g.Key}' is shown {g.Value.Count} times ({string.Join(", ", g.Value.Select(b => b.Where))}): give each block its own region"))
            .Concat(byId.Keys.Where(id => !shown.ContainsKey(id)).Select(id =>
                $"the region '{id}' at {byId[id][0].Where} is shown by no page: show it, or remove its markers"))
            .ToList();
    }

    /// <summary>The region ids a block shows: one, or several joined by <c>+</c>.</summary>
    private static IEnumerable<string> PartsOf(string snippetId) => snippetId.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
