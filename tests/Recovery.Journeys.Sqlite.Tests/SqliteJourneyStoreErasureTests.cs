using Recovery.Journeys.TestSupport;
using System.Text;
using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;

namespace Recovery.Journeys.Sqlite.Tests;

/// <summary>An erasure leaves no copy of the customer in the SQLite files: the raw bytes of the database and its log are searched.</summary>
public sealed class SqliteJourneyStoreErasureTests : IDisposable
{
    private const string Erased = "jane.doe+erasure@example.com";
    private const string Kept = "kept.customer@example.com";

    private readonly TempDatabase _database = new();
    private readonly FakeClock _clock = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task EraseCustomer_LeavesNoCopyOfTheAddressInTheDatabaseOrItsLog()
    {
        var store = new SqliteJourneyStore(_database.Path, TimeProvider.System);
        await using (store)
        {
            // Several instances, each updated more than once, so that the log holds several images of their pages.
            for (var i = 0; i < 6; i++)
            {
                await StartAndRunAsync(store, Erased, $"order-{i}");
                await StartAndRunAsync(store, Kept, $"kept-order-{i}");
            }

            // Without this, the search below could find nothing because it searches the wrong files.
            CountInFiles(Erased).Should().BeGreaterThan(0, "the address is in the files before the erasure");

            (await store.EraseCustomerAsync(Erased, CancellationToken.None)).Should().Be(6);

            CountInFiles(Erased).Should().Be(0, "while the store is open, neither the database nor its log may keep a copy");
            CountInFiles(Kept).Should().BeGreaterThan(0, "the other customer's rows stay");
        }

        CountInFiles(Erased).Should().Be(0, "after the store closed");
        await using var reopened = new SqliteJourneyStore(_database.Path, TimeProvider.System);
        (await reopened.FindAsync(new JourneyInstanceQuery(CustomerId: Kept), CancellationToken.None)).Should().HaveCount(6);
    }

    private Task StartAndRunAsync(SqliteJourneyStore store, string customerId, string key) => ErasureFixture.StartAndRunAsync(store, _clock.Now, customerId, key);

    /// <summary>How many times the address's UTF-8 bytes occur in the database file and its write-ahead log.</summary>
    private int CountInFiles(string address)
    {
        var needle = Encoding.UTF8.GetBytes(address);
        return new[] { _database.Path, _database.Path + "-wal", _database.Path + "-journal" }
            .Where(File.Exists)
            .Sum(path => Count(ReadShared(path), needle));
    }

    private static byte[] ReadShared(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        file.CopyTo(copy);
        return copy.ToArray();
    }

    private static int Count(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle)
    {
        var count = 0;
        for (var at = haystack.IndexOf(needle); at >= 0; at = haystack.IndexOf(needle))
        {
            count++;
            haystack = haystack[(at + needle.Length)..];
        }

        return count;
    }
}
