using System.Text.RegularExpressions;

namespace CheckoutRecovery.Tests.Documentation.Snippets;

/// <summary>
/// The compiled text a docs block shows: the lines between <c>// begin-snippet: id</c> and <c>// end-snippet</c> in a
/// C# file. Regions may nest (a chain link of a whole journey); the markers of a nested region are not part of the
/// text of the region around it.
/// </summary>
internal sealed partial record CodeRegion(string Id, string File, int Line, IReadOnlyList<string> Lines)
{
    public string Where => $"{File}:{Line}";

    /// <summary>The regions of one file; <paramref name="file"/> names it in messages.</summary>
    public static IReadOnlyList<CodeRegion> Parse(string file, string code)
    {
        var lines = code.ReplaceLineEndings("\n").Split('\n');
        var regions = new List<CodeRegion>();
        var open = new Stack<(string Id, int Line, List<string> Lines)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var begin = Begin().Match(lines[i]);
            if (begin.Success)
            {
                open.Push((begin.Groups[1].Value, i + 1, []));
                continue;
            }

            if (End().IsMatch(lines[i]))
            {
                if (open.Count == 0)
                {
                    throw new InvalidOperationException($"{file}:{i + 1}: // end-snippet without a // begin-snippet");
                }

                var (id, line, text) = open.Pop();
                regions.Add(new CodeRegion(id, file, line, text));
                continue;
            }

            foreach (var region in open)
            {
                region.Lines.Add(lines[i]);
            }
        }

        if (open.Count > 0)
        {
            throw new InvalidOperationException($"{file}:{open.Peek().Line}: // begin-snippet: {open.Peek().Id} has no // end-snippet");
        }

        return regions;
    }

    [GeneratedRegex(@"^\s*// begin-snippet: ([a-z0-9][a-z0-9-]*)\s*$")]
    private static partial Regex Begin();

    [GeneratedRegex(@"^\s*// end-snippet\s*$")]
    private static partial Regex End();
}
