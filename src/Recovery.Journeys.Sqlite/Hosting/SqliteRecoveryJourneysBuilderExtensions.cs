using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Recovery.Journeys.Hosting;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="SqliteJourneyStore"/> as the journey store.</summary>
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
    /// Keeps journeys in a SQLite file, with settings. The store is a singleton, opened on first use; its options are
    /// validated when the host starts. Unless set, trigger events are read with the engine's
    /// <see cref="JourneyEngineOptions.EventSerializerOptions"/>.
    /// </summary>
    /// <param name="builder">The Recovery.Journeys builder.</param>
    /// <param name="configure">Sets the options; <see cref="SqliteJourneyStoreOptions.Path"/> is required.</param>
    /// <returns>The builder.</returns>
    public static RecoveryJourneysBuilder UseSqliteStore(this RecoveryJourneysBuilder builder, Action<SqliteJourneyStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<SqliteJourneyStoreOptions>().Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteJourneyStoreOptions>, SqliteJourneyStoreOptionsValidator>());
        builder.Services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SqliteJourneyStoreOptions>>().Value;
            return new SqliteJourneyStore(new SqliteJourneyStoreOptions
            {
                Path = options.Path,
                EventSerializerOptions = options.EventSerializerOptions ?? sp.GetRequiredService<IOptions<JourneyEngineOptions>>().Value.EventSerializerOptions,
            });
        });
        return builder.UseStore(sp => sp.GetRequiredService<SqliteJourneyStore>());
    }
}
