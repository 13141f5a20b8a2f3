using System.Text.Json;
using Microsoft.Extensions.Options;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Sqlite;

/// <summary>Settings of <see cref="SqliteJourneyStore"/>.</summary>
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
    /// The default (<see langword="null"/>) is the engine's <c>JourneyEngineOptions.EventSerializerOptions</c> when the
    /// store is registered with <c>UseSqliteStore</c>, and <see cref="JourneyJson.DefaultOptions"/> otherwise.
    /// </value>
    public JsonSerializerOptions? EventSerializerOptions { get; set; }
}

/// <summary>Checks <see cref="SqliteJourneyStoreOptions"/>, reporting every failure at once.</summary>
internal sealed class SqliteJourneyStoreOptionsValidator : IValidateOptions<SqliteJourneyStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteJourneyStoreOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            failures.Add("SqliteJourneyStoreOptions.Path must name the SQLite file, e.g. \"data/journeys.db\".");
        }
        else if (options.Path.Trim() == ":memory:" || options.Path.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"SqliteJourneyStoreOptions.Path must be a file path, was \"{options.Path}\"; for a store in memory use InMemoryJourneyStore.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
