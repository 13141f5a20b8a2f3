namespace CheckoutRecovery.Tests.Documentation.Snippets;

/// <summary>
/// Matches the C# blocks of the pages with the code regions: every block names its region (or says it is a
/// fragment), each block is its region's text, whole and in order, and every region exists once and is shown once.
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

            var region = regions.FirstOrDefault(r => r.Id == block.SnippetId);
            if (region is null)
            {
                problems.Add($"{block.Where}: no code region '{block.SnippetId}' (`// begin-snippet: {block.SnippetId}` ... `// end-snippet` in a compiled file)");
            }
            else if (SnippetText.FirstDifference(SnippetText.Normalise(block.Lines), SnippetText.Normalise(region.Lines)) is { } difference)
            {
                problems.Add($"{block.Where}: the block '{block.SnippetId}' differs from its region at {region.Where}, {difference}");
            }
        }

        return problems;
    }

    /// <summary>The problems of the regions against every block of every page: a region defined twice, shown twice or never.</summary>
    public static IReadOnlyList<string> CheckRegions(IReadOnlyList<MarkdownBlock> allBlocks, IReadOnlyList<CodeRegion> regions)
    {
        var byId = regions.GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.ToList());
        var shown = allBlocks.Where(b => b.SnippetId is not null).GroupBy(b => b.SnippetId!).ToDictionary(g => g.Key, g => g.ToList());
        return byId.Where(g => g.Value.Count > 1)
            .Select(g => $"the region '{g.Key}' is defined {g.Value.Count} times: {string.Join(", ", g.Value.Select(r => r.Where))}")
            .Concat(shown.Where(g => g.Value.Count > 1).Select(g =>
                $"the snippet '{g.Key}' is shown {g.Value.Count} times ({string.Join(", ", g.Value.Select(b => b.Where))}): give each block its own region"))
            .Concat(byId.Keys.Where(id => !shown.ContainsKey(id)).Select(id =>
                $"the region '{id}' at {byId[id][0].Where} is shown by no page: show it, or remove its markers"))
            .ToList();
    }
}
