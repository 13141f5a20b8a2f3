using System.Text.RegularExpressions;
using FluentAssertions;

namespace Recovery.Journeys.TestSupport;

/// <summary>
/// Checks that a source folder's namespaces equal its folders (<c>src/Recovery.Journeys.Sqlite/Schema/X.cs</c> is in
/// <c>Recovery.Journeys.Sqlite.Schema</c>), except registration extensions, which live in
/// <c>Microsoft.Extensions.DependencyInjection</c> (the convention of DI registrations) and in a <c>Hosting</c> folder.
/// </summary>
/// <remarks>Linked into the adapter packages' test projects (their .csproj files).</remarks>
internal static partial class SourceLayout
{
    private const string RegistrationNamespace = "Microsoft.Extensions.DependencyInjection";

    /// <summary>Fails naming each file of <paramref name="folder"/> (relative to the repository) whose namespace is not its folder's.</summary>
    public static void NamespacesShouldEqualFolders(string folder)
    {
        var root = Path.Combine(RepoRoot(), folder);
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(root, file).Replace('\\', '/'))
            .Where(file => !file.StartsWith("obj/", StringComparison.Ordinal) && !file.StartsWith("bin/", StringComparison.Ordinal))
            .ToList();

        var misplaced = files
            .Select(file => (File: file, Namespace: FileScopedNamespace().Match(File.ReadAllText(Path.Combine(root, file))).Groups[1].Value, Expected: Expected(folder, file)))
            .Where(f => f.Namespace != f.Expected && !(f.Namespace == RegistrationNamespace && f.File.StartsWith("Hosting/", StringComparison.Ordinal)))
            .Select(f => $"{f.File} is in namespace '{f.Namespace}', expected '{f.Expected}'");

        files.Should().NotBeEmpty();
        misplaced.Should().BeEmpty();
    }

    private static string Expected(string folder, string file)
    {
        var package = Path.GetFileName(folder.TrimEnd('/'));
        var subfolder = Path.GetDirectoryName(file)!.Replace('/', '.').Replace('\\', '.');
        return subfolder.Length == 0 ? package : $"{package}.{subfolder}";
    }

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Recovery.Journeys.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Recovery.Journeys.sln not found above the test's folder.");
    }

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex FileScopedNamespace();
}
