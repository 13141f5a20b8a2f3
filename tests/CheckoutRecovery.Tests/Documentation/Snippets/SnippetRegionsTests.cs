using Xunit.Abstractions;

namespace CheckoutRecovery.Tests.Documentation.Snippets;

/// <summary>
/// Every C# block of README.md and docs/*.md is the text of a region of compiled code (tests/ or samples/), whole and
/// in order, or is marked as a deliberate fragment. So a docs block cannot drift from code that builds: deleting a
/// line from either side fails here, and a changed API fails the build of the region.
/// </summary>
public sealed class SnippetRegionsTests(ITestOutputHelper output)
{
    public static TheoryData<string> Pages => new(DocumentationSources.Pages());

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryCSharpBlockOfThePage_IsACompiledRegionVerbatim_OrAMarkedFragment(string page)
    {
        var blocks = DocumentationSources.Blocks(page);

        var problems = SnippetChecker.CheckBlocks(blocks, DocumentationSources.Regions());

        foreach (var fragment in blocks.Where(b => b.FragmentReason is not null))
        {
            output.WriteLine($"{fragment.Where}: fragment, not compiled: {fragment.FragmentReason}");
        }

        output.WriteLine($"{page}: {blocks.Count(b => b.SnippetId is not null)} blocks compiled, {blocks.Count(b => b.FragmentReason is not null)} fragments.");
        problems.Should().BeEmpty();
    }

    [Fact]
    public void EveryRegion_IsDefinedOnce_AndShownByExactlyOneBlock()
    {
        SnippetChecker.CheckRegions(DocumentationSources.AllBlocks(), DocumentationSources.Regions()).Should().BeEmpty();
    }

    [Fact]
    public void ThePagesChecked_AreTheReadmeAndEveryDocsPage()
    {
        var docs = Directory.GetFiles(Path.Combine(DocumentationSnippetsTests.RepoRoot, "docs"), "*.md").Select(Path.GetFileName);

        DocumentationSources.Pages().Should().Contain("README.md").And.Contain(docs.Select(d => $"docs/{d}"))
            .And.Contain(["docs/channels.md", "docs/stores.md"]);
    }
}
