using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recovery.Journeys.Hosting;
using Recovery.Journeys.PostgreSql;
using Recovery.Journeys.Runtime;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="PostgreSqlJourneyStore"/> as the journey store.</summary>
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

    /// <summary>
    /// Keeps journeys in PostgreSQL, with settings. The store is a singleton; its schema is migrated on first use and
    /// its options are validated when the host starts. The in-process scheduler listens to it, so work that other app
    /// instances write wakes it at once. Unless set, trigger events are read with the engine's
    /// <see cref="JourneyEngineOptions.EventSerializerOptions"/>.
    /// </summary>
    /// <param name="builder">The Recovery.Journeys builder.</param>
    /// <param name="configure">Sets the options; <see cref="PostgreSqlJourneyStoreOptions.ConnectionString"/> is required.</param>
    /// <returns>The builder.</returns>
    public static RecoveryJourneysBuilder UsePostgreSqlStore(this RecoveryJourneysBuilder builder, Action<PostgreSqlJourneyStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<PostgreSqlJourneyStoreOptions>().Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlJourneyStoreOptions>, PostgreSqlJourneyStoreOptionsValidator>());
        builder.Services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PostgreSqlJourneyStoreOptions>>().Value;
            return new PostgreSqlJourneyStore(
                new PostgreSqlJourneyStoreOptions
                {
                    ConnectionString = options.ConnectionString,
                    Schema = options.Schema,
                    MaxClaimDuration = options.MaxClaimDuration,
                    MaxClaimsPerCall = options.MaxClaimsPerCall,
                    ListenReconnectDelay = options.ListenReconnectDelay,
                    EventSerializerOptions = options.EventSerializerOptions ?? sp.GetRequiredService<IOptions<JourneyEngineOptions>>().Value.EventSerializerOptions,
                },
                sp.GetService<TimeProvider>(),
                sp.GetService<ILoggerFactory>());
        });
        return builder.UseStore(sp => sp.GetRequiredService<PostgreSqlJourneyStore>());
    }
}
