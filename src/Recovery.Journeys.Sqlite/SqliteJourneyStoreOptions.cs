using System.Text.Json;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Sqlite;

/// <summary>Settings of <see cref="SqliteJourneyStore"/>.</summary>
/// <remarks>
/// Checked by <c>UseSqliteStore</c> when the host starts, and by the store's constructor, every problem listed at once.
/// The store keeps a copy: changing the object after the store was created has no effect.
/// </remarks>
public sealed class SqliteJourneyStoreOptions
{
    /// <summary>
    /// The SQLite file, created with its folder when missing. One store, in one process, uses a file at a time; the
    /// store takes a lock on <c>&lt;Path&gt;.lock</c> to make sure.
    /// </summary>
    /// <value>Required; no default.</value>
    public string Path { get; set; } = "";

    /// <summary>How trigger events are read back from their JSON.</summary>
    /// <value>
    /// The default (<see langword="null"/>) is the engine's <see cref="JourneyEngineOptions.EventSerializerOptions"/>
    /// when the store is registered with <c>UseSqliteStore</c>, and <see cref="JourneyJson.DefaultOptions"/> otherwise.
    /// The store keeps the instance given here (System.Text.Json makes it read-only once used).
    /// </value>
    public JsonSerializerOptions? EventSerializerOptions { get; set; }

    /// <summary>A copy of every option, one added later included.</summary>
    internal SqliteJourneyStoreOptions Copy() => (SqliteJourneyStoreOptions)MemberwiseClone();
}
