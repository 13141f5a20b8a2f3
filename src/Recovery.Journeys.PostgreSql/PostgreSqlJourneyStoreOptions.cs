using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using NodaTime;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.PostgreSql;

/// <summary>Settings of <see cref="PostgreSqlJourneyStore"/>.</summary>
public sealed class PostgreSqlJourneyStoreOptions
{
    /// <summary>The Npgsql connection string, e.g. <c>Host=db;Database=shop;Username=app;Password=...</c>.</summary>
    /// <value>Required; no default.</value>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The PostgreSQL schema that holds the store's tables, created when missing. Every app instance of one shop uses
    /// the same schema; distinct schemas are distinct stores (and distinct <c>LISTEN</c> channels).
    /// </summary>
    /// <value>The default is <c>recovery_journeys</c>. Lower-case letters, digits and underscores, at most 50 characters.</value>
    public string Schema { get; set; } = "recovery_journeys";

    /// <summary>
    /// The longest a claim may stay idle before the server ends it: a hung worker, or one cut off from the database
    /// without the connection closing, loses its claims after this, and other instances run those steps again (with
    /// the same idempotency key). A worker that dies outright loses them at once, when its connection closes. Make it
    /// longer than your slowest channel call. Applied as the claim transaction's <c>idle_in_transaction_session_timeout</c>.
    /// </summary>
    /// <value>The default is 5 minutes. At least 1 millisecond.</value>
    public Duration MaxClaimDuration { get; set; } = Duration.FromMinutes(5);

    /// <summary>
    /// The most claims one <c>ClaimDueAsync</c> call grants. Each claim holds a connection until it is committed or
    /// released, so this bounds the connections the engine's claims take from the pool.
    /// </summary>
    /// <value>The default is 16, the engine's default <c>MaxConcurrentSteps</c>. Between 1 and 1,000.</value>
    public int MaxClaimsPerCall { get; set; } = 16;

    /// <summary>How long the <c>LISTEN</c> connection waits before reconnecting after it failed.</summary>
    /// <value>The default is 5 seconds. Positive.</value>
    public Duration ListenReconnectDelay { get; set; } = Duration.FromSeconds(5);

    /// <summary>How trigger events are read back from their JSON.</summary>
    /// <value>
    /// The default (<see langword="null"/>) is the engine's <c>JourneyEngineOptions.EventSerializerOptions</c> when the
    /// store is registered with <c>UsePostgreSqlStore</c>, and <see cref="JourneyJson.DefaultOptions"/> otherwise.
    /// </value>
    public JsonSerializerOptions? EventSerializerOptions { get; set; }
}

/// <summary>Checks <see cref="PostgreSqlJourneyStoreOptions"/>, reporting every failure at once.</summary>
internal sealed partial class PostgreSqlJourneyStoreOptionsValidator : IValidateOptions<PostgreSqlJourneyStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlJourneyStoreOptions options)
    {
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

        if (options.ListenReconnectDelay <= Duration.Zero)
        {
            failures.Add($"PostgreSqlJourneyStoreOptions.ListenReconnectDelay must be positive, was {options.ListenReconnectDelay}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,49}$")]
    private static partial Regex SchemaName();
}
