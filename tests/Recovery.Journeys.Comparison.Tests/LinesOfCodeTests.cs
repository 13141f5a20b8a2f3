using Recovery.Journeys.Comparison.Runs;

namespace Recovery.Journeys.Comparison.Tests;

/// <summary>The line count of docs/comparison.md: every S1 file is there and counted.</summary>
public sealed class LinesOfCodeTests
{
    [Fact]
    public void Count_EveryFrameworksS1_IsCountedFromItsFile()
    {
        var root = LinesOfCodeRun.FindRoot();

        foreach (var (_, path) in LinesOfCodeRun.Files)
        {
            LinesOfCodeRun.Count(File.ReadAllLines(Path.Combine(root, path))).Should().BeGreaterThan(10, path);
        }
    }

    [Fact]
    public void Count_CodeWithCommentsAndBraces_CountsOnlyCode()
    {
        string[] lines = ["using X;", "", "// why", "/// <summary>doc</summary>", "public class A", "{", "    int b = 1;", "    /* a", "    b */", "}"];

        LinesOfCodeRun.Count(lines).Should().Be(2);
    }
}
