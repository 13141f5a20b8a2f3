using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;

namespace CheckoutRecovery.Tests.Documentation.Snippets;

/// <summary>The checker itself, on pages and code written here: it fails on each kind of drift, and only on those.</summary>
public sealed class SnippetCheckerTests
{
    // Written with '#' for '//', so that the scan of the repository's code does not take these for real regions.
    private static readonly string Code = """
        public static class Snippets
        {
            public static JourneyDefinition Journey() =>
                # begin-snippet: the-journey
                Journey.When<CheckoutAbandoned>()
                    .Named("checkout-recovery")
                    # begin-snippet: the-compute-line
                    .Compute("minutesLeft", c => 15)
                    # end-snippet
                    .Build();
                # end-snippet
        }
        """.Replace("# ", "// ", StringComparison.Ordinal);

    private const string Page = """
        Some text.

        <!-- snippet: the-journey -->
        ```csharp
        Journey.When<CheckoutAbandoned>()
            .Named("checkout-recovery")
            .Compute("minutesLeft", c => 15)
            .Build();
        ```

        <!-- snippet: the-compute-line -->
        ```csharp
        .Compute("minutesLeft", c => 15)
        ```

        ```text
        not C#, not checked
        ```
        """;

    [Fact]
    public void PageAndCodeThatAgree_HaveNoProblem_NestedRegionsIncluded()
    {
        Problems(Page, Code).Should().BeEmpty();
        SnippetChecker.CheckRegions(MarkdownBlock.Parse("page.md", Page), CodeRegion.Parse("Snippets.cs", Code)).Should().BeEmpty();
    }

    [Fact]
    public void ABlockJoiningRegions_IsTheirTextsWithABlankLineBetween_AndAUsingDroppedFromTheCodeFails()
    {
        const string code = """
            # begin-snippet: the-usings
            using Recovery.Journeys.Dsl;
            using Recovery.Journeys.Time;
            # end-snippet

            public static class Snippets
            {
                public static void Body()
                {
                    # begin-snippet: the-body
                    var delay = 5.Minutes();
                    # end-snippet
                }
            }
            """;
        const string page = """
            <!-- snippet: the-usings + the-body -->
            ```csharp
            using Recovery.Journeys.Dsl;
            using Recovery.Journeys.Time;

            var delay = 5.Minutes();
            ```
            """;
        var compiled = code.Replace("# ", "// ", StringComparison.Ordinal);

        Problems(page, compiled).Should().BeEmpty();
        SnippetChecker.CheckRegions(MarkdownBlock.Parse("page.md", page), CodeRegion.Parse("Snippets.cs", compiled)).Should().BeEmpty();
        Problems(page, compiled.Replace("using Recovery.Journeys.Time;\n", string.Empty, StringComparison.Ordinal))
            .Should().ContainSingle().Which.Should().Contain("the page has `using Recovery.Journeys.Time;`");
    }

    [Fact]
    public void ALineDeletedFromTheBlock_Fails()
    {
        var page = Page.Replace("    .Compute(\"minutesLeft\", c => 15)\n    .Build();", "    .Build();", StringComparison.Ordinal);

        Problems(page, Code).Should().ContainSingle().Which.Should().Contain("page.md:4").And.Contain("the-journey").And.Contain("`.Build();`");
    }

    [Fact]
    public void ALineDeletedFromTheCode_Fails()
    {
        var code = Code.Replace("            .Named(\"checkout-recovery\")\n", string.Empty, StringComparison.Ordinal);

        Problems(Page, code).Should().ContainSingle().Which.Should().Contain("the-journey");
    }

    [Fact]
    public void TwoLinesSwapped_Fail()
    {
        var page = Page.Replace(
            "    .Named(\"checkout-recovery\")\n    .Compute(\"minutesLeft\", c => 15)",
            "    .Compute(\"minutesLeft\", c => 15)\n    .Named(\"checkout-recovery\")",
            StringComparison.Ordinal);

        Problems(page, Code).Should().ContainSingle().Which.Should().Contain("line 2 of the block");
    }

    [Fact]
    public void ABlockWithoutAMarker_Fails_AndAMarkedFragmentPasses()
    {
        var unmarked = Page.Replace("<!-- snippet: the-compute-line -->\n", string.Empty, StringComparison.Ordinal);
        var fragment = Page.Replace("<!-- snippet: the-compute-line -->", "<!-- fragment: a chain link shown alone -->", StringComparison.Ordinal);

        Problems(unmarked, Code).Should().ContainSingle().Which.Should().Contain("neither");
        Problems(fragment, Code).Should().BeEmpty();
        MarkdownBlock.Parse("page.md", fragment)[1].FragmentReason.Should().Be("a chain link shown alone");
    }

    [Fact]
    public void AnUnknownId_ARegionShownNowhere_AndARegionDefinedTwice_Fail()
    {
        var page = Page.Replace("snippet: the-compute-line", "snippet: no-such-region", StringComparison.Ordinal);
        var twice = Code + "\n// begin-snippet: the-journey\nx\n// end-snippet\n";

        Problems(page, Code).Should().ContainSingle().Which.Should().Contain("no code region 'no-such-region'");
        SnippetChecker.CheckRegions(MarkdownBlock.Parse("page.md", page), CodeRegion.Parse("Snippets.cs", Code))
            .Should().ContainSingle().Which.Should().Contain("'the-compute-line'").And.Contain("shown by no page");
        SnippetChecker.CheckRegions(MarkdownBlock.Parse("page.md", Page), CodeRegion.Parse("Snippets.cs", twice))
            .Should().ContainSingle().Which.Should().Contain("defined 2 times");
    }

    [Fact]
    public void IndentationAndLineEndings_AreNormalised_ButNotInnerIndentation()
    {
        var crlf = Page.ReplaceLineEndings("\r\n");
        var innerIndentation = Page.Replace("    .Build();", "        .Build();", StringComparison.Ordinal);

        Problems(crlf, Code).Should().BeEmpty();
        Problems(innerIndentation, Code).Should().ContainSingle().Which.Should().Contain("the-journey");
    }

    [Fact]
    public void UnclosedRegions_AreReported()
    {
        var parse = () => CodeRegion.Parse("Snippets.cs", "// begin-snippet: open\nx\n");

        parse.Should().Throw<InvalidOperationException>().WithMessage("Snippets.cs:1: // begin-snippet: open has no // end-snippet");
    }

    private static IReadOnlyList<string> Problems(string page, string code) =>
        SnippetChecker.CheckBlocks(MarkdownBlock.Parse("page.md", page), CodeRegion.Parse("Snippets.cs", code));
}
