using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Recovery.Journeys.PostgreSql;

/// <summary>Checks <see cref="PostgreSqlJourneyStoreOptions"/>, reporting every failure at once.</summary>
internal sealed partial class PostgreSqlJourneyStoreOptionsValidator : IValidateOptions<PostgreSqlJourneyStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlJourneyStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("PostgreSqlJourneyStoreOptions.ConnectionString must be set, e.g. \"Host=localhost;Database=shop;Username=app;Password=...\".");
        }

        if (options.Schema is null || !SchemaName().IsMatch(options.Schema))
        {
            failures.Add($"PostgreSqlJourneyStoreOptions.Schema must be lower-case letters, digits and underscores (at most 50, not starting with a digit), was \"{options.Schema}\".");
        }

        if (options.MaxClaimDuration < Duration.FromMilliseconds(1))
        {
            failures.Add($"PostgreSqlJourneyStoreOptions.MaxClaimDuration must be at least 1 millisecond, was {options.MaxClaimDuration}.");
        }

        if (options.MaxClaimsPerCall is < 1 or > 1_000)
        {
            failures.Add($"PostgreSqlJourneyStoreOptions.MaxClaimsPerCall must be between 1 and 1000, was {options.MaxClaimsPerCall}.");
        }

        if (options.MaxPoolSize is < 2 or > 1_000)
        {
            failures.Add($"PostgreSqlJourneyStoreOptions.MaxPoolSize must be between 2 and 1000 when set, was {options.MaxPoolSize}.");
        }

        if (options.ListenReconnectDelay <= Duration.Zero)
        {
            failures.Add($"PostgreSqlJourneyStoreOptions.ListenReconnectDelay must be positive, was {options.ListenReconnectDelay}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,49}$")]
    private static partial Regex SchemaName();
}
