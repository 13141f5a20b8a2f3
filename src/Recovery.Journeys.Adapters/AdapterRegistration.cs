using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Recovery.Journeys.Adapters;

/// <summary>
/// The registration side of the adapters' options convention, behind every <c>journeys.UseXxx(...)</c>: validated
/// options, and adapters created through their public constructor with what the container holds.
/// </summary>
/// <remarks>Shared source compiled into every adapter package (see this folder's README).</remarks>
internal static class AdapterRegistration
{
    /// <summary>
    /// Registers <typeparamref name="TOptions"/>, changed by <paramref name="configure"/> and checked by
    /// <typeparamref name="TValidator"/> when the host starts (every problem listed at once). Calling it again adds
    /// another <paramref name="configure"/> and keeps one validator.
    /// </summary>
    /// <returns>The options' builder, for settings that depend on other services.</returns>
    public static OptionsBuilder<TOptions> AddValidatedOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this IServiceCollection services, Action<TOptions>? configure)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        var options = services.AddOptions<TOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return options;
    }

    /// <summary>
    /// Creates an adapter with <paramref name="create"/> (its public constructor) from the container: the options'
    /// value, whole, which the constructor copies; the container's <see cref="TimeProvider"/>; and its
    /// <see cref="ILoggerFactory"/>, if any.
    /// </summary>
    /// <remarks>
    /// Never copy options field by field here: the constructor's copy takes every option, one added later included.
    /// <c>AddRecoveryJourneys</c> registers <see cref="TimeProvider.System"/> unless the host registered a clock.
    /// </remarks>
    public static TAdapter Create<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions, TAdapter>(IServiceProvider services, Func<TOptions, TimeProvider, ILoggerFactory?, TAdapter> create)
        where TOptions : class =>
        create(
            services.GetRequiredService<IOptions<TOptions>>().Value,
            services.GetRequiredService<TimeProvider>(),
            services.GetService<ILoggerFactory>());
}
