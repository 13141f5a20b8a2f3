using Recovery.Journeys.Hosting;
using Recovery.Journeys.PostgreSql;
using Recovery.Journeys.Relational;
using Recovery.Journeys.Runtime;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="PostgreSqlJourneyStore"/> as the journey store, inside <c>AddRecoveryJourneys(journeys =&gt; ...)</c>.</summary>
public static class PostgreSqlRecoveryJourneysBuilderExtensions
{
    /// <summary>Keeps journeys in PostgreSQL, in the default schema <c>recovery_journeys</c>.</summary>
    /// <param name="builder">The Recovery.Journeys builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    public static RecoveryJourneysBuilder UsePostgreSqlStore(this RecoveryJourneysBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UsePostgreSqlStore(options => options.ConnectionString = connectionString);
    }

    /// <summary>Keeps journeys in PostgreSQL, with settings.</summary>
    /// <remarks>
    /// The store is a singleton (also resolvable as <see cref="PostgreSqlJourneyStore"/>), created with the
    /// container's <see cref="TimeProvider"/> and <see cref="Microsoft.Extensions.Logging.ILoggerFactory"/>. Its
    /// options are validated when the host starts; they can also be bound from configuration with
    /// <c>services.Configure&lt;PostgreSqlJourneyStoreOptions&gt;(section)</c>. The in-process scheduler listens to it,
    /// so work that other app instances write wakes it at once. Unless set, trigger events are read with the engine's
    /// <see cref="JourneyEngineOptions.EventSerializerOptions"/>. Registration does not touch the database: the store
    /// creates or migrates its schema on first use, which the hosted worker makes as the host starts; call
    /// <see cref="PostgreSqlJourneyStore.MigrateAsync"/> at startup to fail fast instead.
    /// </remarks>
    /// <param name="builder">The Recovery.Journeys builder.</param>
    /// <param name="configure">Sets the options; <see cref="PostgreSqlJourneyStoreOptions.ConnectionString"/> is required.</param>
    /// <returns>The builder.</returns>
    public static RecoveryJourneysBuilder UsePostgreSqlStore(this RecoveryJourneysBuilder builder, Action<PostgreSqlJourneyStoreOptions> configure) =>
        builder.UseRelationalStore<PostgreSqlJourneyStore, PostgreSqlJourneyStoreOptions, PostgreSqlJourneyStoreOptionsValidator>(
            configure,
            (options, engine) => options.EventSerializerOptions ??= engine.EventSerializerOptions,
            (options, timeProvider, loggerFactory) => new PostgreSqlJourneyStore(options, timeProvider, loggerFactory));
}
