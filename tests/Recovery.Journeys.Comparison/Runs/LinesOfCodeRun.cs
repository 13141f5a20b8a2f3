namespace Recovery.Journeys.Comparison.Runs;

/// <summary>
/// <c>loc</c>: the lines of code each framework's S1 takes, counted in its source file (blank lines, comments, lone
/// braces, usings and the namespace left out), from the repository's root or given folder.
/// </summary>
public static class LinesOfCodeRun
{
    /// <summary>The S1 files: the journey, or the jobs, or the saga and its messages; channels and hosting excluded.</summary>
    public static readonly IReadOnlyList<(string Framework, string Path)> Files =
    [
        ("library", "tests/Recovery.Journeys.Comparison/S1/Library/LibraryCheckoutRecovery.cs"),
        ("hangfire", "tests/Recovery.Journeys.Comparison/S1/Hangfire/HangfireCheckoutRecovery.cs"),
        ("wolverine", "tests/Recovery.Journeys.Comparison/S1/Wolverine/CheckoutRecoverySaga.cs"),
    ];

    public static int Run(string[] args)
    {
        var root = args.Length > 0 ? args[0] : FindRoot();
        foreach (var (framework, path) in Files)
        {
            Console.WriteLine($"{framework}: {Count(File.ReadAllLines(Path.Combine(root, path)))} lines ({path})");
        }

        return 0;
    }

    public static int Count(IEnumerable<string> lines)
    {
        var inComment = false;
        var count = 0;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (inComment)
            {
                inComment = !line.Contains("*/", StringComparison.Ordinal);
                continue;
            }

            if (line.StartsWith("/*", StringComparison.Ordinal))
            {
                inComment = !line.Contains("*/", StringComparison.Ordinal);
                continue;
            }

            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal) || line is "{" or "}" or "};" or ");" or ")" ||
                line.StartsWith("using ", StringComparison.Ordinal) || line.StartsWith("namespace ", StringComparison.Ordinal))
            {
                continue;
            }

            count++;
        }

        return count;
    }

    /// <summary>The repository's root: the first folder upwards that holds Recovery.Journeys.sln.</summary>
    public static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Recovery.Journeys.sln")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
