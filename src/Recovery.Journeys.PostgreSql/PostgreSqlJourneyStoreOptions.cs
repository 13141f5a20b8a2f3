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

    /// <summary>
    /// The most connections the store opens at once, claims included (plus one for <c>LISTEN</c>). When every one is in
    /// use, a publish, an exit or a claim waits for one to come back (up to the connection string's <c>Timeout</c>, 15
    /// seconds unless set) rather than opening more and failing with PostgreSQL's "too many clients" (53300). Claims
    /// take at most three quarters of them, so that publishes and exits always find one. Give every app instance
    /// sharing the server a size such that their sum, with everything else that connects, stays below the server's
    /// <c>max_connections</c>.
    /// </summary>
    /// <value>
    /// The default (<see langword="null"/>) is the connection string's <c>Maximum Pool Size</c> when it sets one, and
    /// otherwise a quarter of the connections the server allows non-superusers (<c>max_connections</c> minus the
    /// reserved ones), read when the store opens, between 2 and 100: 24 on a server with the default 100. Between 2
    /// and 1,000 when set.
    /// </value>
    public int? MaxPoolSize { get; set; }

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
