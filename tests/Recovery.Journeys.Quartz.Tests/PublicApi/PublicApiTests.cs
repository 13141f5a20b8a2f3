using System.Runtime.CompilerServices;
using PublicApiGenerator;

namespace Recovery.Journeys.Quartz.Tests.PublicApi;

/// <summary>
/// Snapshots the package's public surface, so that any change to it is a visible diff in review. When a change is
/// intended, copy the <c>.received.txt</c> file this test writes over the <c>.approved.txt</c> file. The registration
/// extension lives in <c>Microsoft.Extensions.DependencyInjection</c>, which the generator skips unless allowed.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesTheApprovedSnapshot()
    {
        var assembly = typeof(QuartzJourneyScheduler).Assembly;
        var api = assembly.GeneratePublicApi(new ApiGeneratorOptions { AllowNamespacePrefixes = ["Microsoft.Extensions.DependencyInjection"], ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute", "System.Runtime.CompilerServices.InternalsVisibleToAttribute"] });
        var name = assembly.GetName().Name!;
        var approvedPath = Path.Combine(ThisDirectory(), $"{name}.approved.txt");
        var receivedPath = Path.Combine(ThisDirectory(), $"{name}.received.txt");
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

    private static string ThisDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
