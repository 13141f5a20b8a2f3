using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recovery.Journeys.Adapters;
using Recovery.Journeys.Hosting;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;

namespace Recovery.Journeys.Relational;

/// <summary>What <c>journeys.UseSqliteStore(...)</c> and <c>journeys.UsePostgreSqlStore(...)</c> register, written once.</summary>
internal static class RelationalStoreRegistration
{
    /// <summary>
    /// Makes <typeparamref name="TStore"/> the journey store: a singleton, also resolvable as itself, created from
    /// validated <typeparamref name="TOptions"/> (checked when the host starts), the container's
    /// <see cref="TimeProvider"/> and <see cref="ILoggerFactory"/>. The schema is not migrated here: the store does
    /// it on first use, which the hosted worker makes as the host starts, or when the host calls its <c>MigrateAsync</c>.
    /// </summary>
    /// <param name="builder">The Recovery.Journeys builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <param name="engineDefaults">
    /// Fills in, from the engine's options, the store options left unset (the trigger events' JSON settings), after
    /// every <paramref name="configure"/> and before validation.
    /// </param>
    /// <param name="create">The store's public constructor.</param>
    /// <returns>The builder.</returns>
    public static RecoveryJourneysBuilder UseRelationalStore<TStore, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(
        this RecoveryJourneysBuilder builder,
        Action<TOptions> configure,
        Action<TOptions, JourneyEngineOptions> engineDefaults,
        Func<TOptions, TimeProvider, ILoggerFactory?, TStore> create)
        where TStore : class, IJourneyStore
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddValidatedOptions<TOptions, TValidator>(configure)
            .PostConfigure<IOptions<JourneyEngineOptions>>((options, engine) => engineDefaults(options, engine.Value));
        builder.Services.TryAddSingleton(services => AdapterRegistration.Create(services, create));
        return builder.UseStore(services => services.GetRequiredService<TStore>());
    }
}
