using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.Smtp.Tests;

public sealed class SourceLayoutTests
{
    [Fact]
    public void Namespaces_EqualFolders() => SourceLayout.NamespacesShouldEqualFolders("src/Recovery.Journeys.Smtp");
}
