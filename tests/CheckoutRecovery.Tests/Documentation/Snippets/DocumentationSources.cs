namespace CheckoutRecovery.Tests.Documentation.Snippets;

/// <summary>Where the pages and the compiled regions are: README.md and docs/*.md; every C# file under tests/ and samples/.</summary>
internal static class DocumentationSources
{
    public static IReadOnlyList<string> Pages() =>
        Directory.GetFiles(Path.Combine(DocumentationSnippetsTests.RepoRoot, "docs"), "*.md")
            .Select(p => Path.GetRelativePath(DocumentationSnippetsTests.RepoRoot, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Prepend("README.md")
            .ToList();

    public static IReadOnlyList<MarkdownBlock> Blocks(string page) =>
        MarkdownBlock.Parse(page, File.ReadAllText(Path.Combine(DocumentationSnippetsTests.RepoRoot, page)));

    public static IReadOnlyList<MarkdownBlock> AllBlocks() => Pages().SelectMany(Blocks).ToList();

    public static IReadOnlyList<CodeRegion> Regions() =>
        new[] { "tests", "samples" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(DocumentationSnippetsTests.RepoRoot, folder), "*.cs", SearchOption.AllDirectories))
            .Select(p => Path.GetRelativePath(DocumentationSnippetsTests.RepoRoot, p).Replace('\\', '/'))
            .Where(p => !p.Split('/').Any(part => part is "bin" or "obj"))
            .SelectMany(p => CodeRegion.Parse(p, File.ReadAllText(Path.Combine(DocumentationSnippetsTests.RepoRoot, p))))
            .ToList();
}
