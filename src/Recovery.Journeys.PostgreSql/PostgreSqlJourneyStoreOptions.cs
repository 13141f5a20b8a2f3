using System.Text.Json;
using NodaTime;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.PostgreSql;

/// <summary>Settings of <see cref="PostgreSqlJourneyStore"/>.</summary>
/// <remarks>
/// Checked by <c>UsePostgreSqlStore</c> when the host starts, and by the store's constructor, every problem listed at
/// once. The store keeps a copy: changing the object after the store was created has no effect.
/// </remarks>
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
    /// The default (<see langword="null"/>) is the engine's <see cref="JourneyEngineOptions.EventSerializerOptions"/>
    /// when the store is registered with <c>UsePostgreSqlStore</c>, and <see cref="JourneyJson.DefaultOptions"/> otherwise.
    /// The store keeps the instance given here (System.Text.Json makes it read-only once used).
    /// </value>
    public JsonSerializerOptions? EventSerializerOptions { get; set; }

    /// <summary>A copy of every option, one added later included.</summary>
    internal PostgreSqlJourneyStoreOptions Copy() => (PostgreSqlJourneyStoreOptions)MemberwiseClone();
}
