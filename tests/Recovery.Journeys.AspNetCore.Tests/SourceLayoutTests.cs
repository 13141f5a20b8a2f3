using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.AspNetCore.Tests;

public sealed class SourceLayoutTests
{
    [Fact]
    public void Namespaces_EqualFolders() => SourceLayout.NamespacesShouldEqualFolders("src/Recovery.Journeys.AspNetCore");
}
