using System.Reflection;
using System.Runtime.CompilerServices;
using FluentAssertions;
using PublicApiGenerator;

namespace Recovery.Journeys.TestSupport;

/// <summary>
/// Snapshots a package's public surface, so that any change to it is a visible diff in review. When a change is
/// intended, copy the <c>.received.txt</c> file the check writes over the <c>.approved.txt</c> file beside the test.
/// </summary>
/// <remarks>Linked into every test project by eng/Test.props.</remarks>
internal static class PublicApiApproval
{
    private static readonly ApiGeneratorOptions Options = new()
    {
        // Registration extensions live in Microsoft.Extensions.DependencyInjection, which the generator skips unless allowed.
        AllowNamespacePrefixes = ["Microsoft.Extensions.DependencyInjection"],
        ExcludeAttributes =
        [
            "System.Runtime.Versioning.TargetFrameworkAttribute",
            "System.Reflection.AssemblyMetadataAttribute",
            "System.Runtime.CompilerServices.InternalsVisibleToAttribute",
            "System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute",
            "System.Runtime.CompilerServices.AsyncStateMachineAttribute",
        ],
    };

    public static void MatchesApproved(Assembly assembly, [CallerFilePath] string testFile = "")
    {
        var api = assembly.GeneratePublicApi(Options);
        var name = assembly.GetName().Name!;
        var directory = Path.GetDirectoryName(testFile)!;
        var approvedPath = Path.Combine(directory, $"{name}.approved.txt");
        var receivedPath = Path.Combine(directory, $"{name}.received.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath) : string.Empty;

        if (Normalize(approved) != Normalize(api))
        {
            File.WriteAllText(receivedPath, api);
        }
        else if (File.Exists(receivedPath))
        {
            File.Delete(receivedPath);
        }

        Normalize(api).Should().Be(Normalize(approved), $"the public API of {name} changed; if intended, copy {receivedPath} over {approvedPath}");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
}
