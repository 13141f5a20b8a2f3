using Microsoft.Extensions.Options;

namespace Recovery.Journeys.Sqlite;

/// <summary>Checks <see cref="SqliteJourneyStoreOptions"/>, reporting every failure at once.</summary>
internal sealed class SqliteJourneyStoreOptionsValidator : IValidateOptions<SqliteJourneyStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteJourneyStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
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
