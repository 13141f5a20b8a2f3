using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.Sqlite.Tests;

public sealed class SourceLayoutTests
{
    [Theory]
    [InlineData("src/Recovery.Journeys.Sqlite")]
    [InlineData("src/Recovery.Journeys.Relational")]
    [InlineData("src/Recovery.Journeys.Adapters")]
    public void Namespaces_EqualFolders(string folder) => SourceLayout.NamespacesShouldEqualFolders(folder);
}
