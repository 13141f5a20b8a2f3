using Recovery.Journeys.Hosting;
using Recovery.Journeys.Relational;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="SqliteJourneyStore"/> as the journey store, inside <c>AddRecoveryJourneys(journeys =&gt; ...)</c>.</summary>
public static class SqliteRecoveryJourneysBuilderExtensions
{
    /// <summary>Keeps journeys in a SQLite file: <c>journeys.UseSqliteStore("data/journeys.db")</c>.</summary>
    /// <param name="builder">The Recovery.Journeys builder.</param>
    /// <param name="path">The SQLite file, created with its folder when missing.</param>
    /// <returns>The builder.</returns>
    public static RecoveryJourneysBuilder UseSqliteStore(this RecoveryJourneysBuilder builder, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return builder.UseSqliteStore(options => options.Path = path);
    }

    /// <summary>
    /// Keeps journeys in a SQLite file, with settings: <c>journeys.UseSqliteStore(sqlite =&gt; sqlite.Path = "data/journeys.db")</c>.
    /// </summary>
    /// <remarks>
    /// The store is a singleton (also resolvable as <see cref="SqliteJourneyStore"/>), created with the container's
    /// <see cref="TimeProvider"/> and <see cref="Microsoft.Extensions.Logging.ILoggerFactory"/>. Its options are
    /// validated when the host starts; they can also be bound from configuration with
    /// <c>services.Configure&lt;SqliteJourneyStoreOptions&gt;(section)</c>. Unless set, trigger events are read with the
    /// engine's <see cref="JourneyEngineOptions.EventSerializerOptions"/>. Registration does not open the file: the
    /// store opens and migrates it on first use, which the hosted worker makes as the host starts; call
    /// <see cref="SqliteJourneyStore.MigrateAsync"/> at startup to fail fast instead.
    /// </remarks>
    /// <param name="builder">The Recovery.Journeys builder.</param>
    /// <param name="configure">Sets the options; <see cref="SqliteJourneyStoreOptions.Path"/> is required.</param>
    /// <returns>The builder.</returns>
    public static RecoveryJourneysBuilder UseSqliteStore(this RecoveryJourneysBuilder builder, Action<SqliteJourneyStoreOptions> configure) =>
        builder.UseRelationalStore<SqliteJourneyStore, SqliteJourneyStoreOptions, SqliteJourneyStoreOptionsValidator>(
            configure,
            (options, engine) => options.EventSerializerOptions ??= engine.EventSerializerOptions,
            (options, timeProvider, loggerFactory) => new SqliteJourneyStore(options, timeProvider, loggerFactory));
}
