using System.Text.RegularExpressions;

namespace CheckoutRecovery.Tests.Documentation.Snippets;

/// <summary>
/// A ```csharp block of a page, with what the line right above its fence says it is: <c>&lt;!-- snippet: id --&gt;</c>
/// (the code region of that id holds the same text) or <c>&lt;!-- fragment: why --&gt;</c> (deliberately not compiled).
/// </summary>
internal sealed partial record MarkdownBlock(string Page, int Line, IReadOnlyList<string> Lines, string? SnippetId, string? FragmentReason)
{
    public string Where => $"{Page}:{Line}";

    /// <summary>Every C# block of a page, in order; <paramref name="page"/> names it in messages.</summary>
    public static IReadOnlyList<MarkdownBlock> Parse(string page, string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var blocks = new List<MarkdownBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = Fence().Match(lines[i]);
            if (!fence.Success)
            {
                continue;
            }

            var end = i + 1;
            while (end < lines.Length && lines[end].Trim() != "```")
            {
                end++;
            }

            if (fence.Groups["info"].Value.Trim() is "csharp" or "cs" or "c#")
            {
                var above = i > 0 ? lines[i - 1].Trim() : string.Empty;
                var snippet = SnippetMarker().Match(above);
                var fragment = FragmentMarker().Match(above);
                blocks.Add(new MarkdownBlock(
                    page,
                    i + 1,
                    lines[(i + 1)..Math.Min(end, lines.Length)],
                    snippet.Success ? snippet.Groups[1].Value : null,
                    fragment.Success ? fragment.Groups[1].Value.Trim() : null));
            }

            i = end;
        }

        return blocks;
    }

    [GeneratedRegex(@"^\s*```(?<info>\S*)\s*$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^<!-- snippet: ([a-z0-9][a-z0-9-]*(?: \+ [a-z0-9][a-z0-9-]*)*) -->$")]
    private static partial Regex SnippetMarker();

    [GeneratedRegex(@"^<!-- fragment: (.+) -->$")]
    private static partial Regex FragmentMarker();
}
