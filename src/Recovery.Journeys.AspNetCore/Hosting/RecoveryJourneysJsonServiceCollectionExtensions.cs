using Microsoft.AspNetCore.Http.Json;
using Recovery.Journeys.AspNetCore.Json;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Recovery.Journeys' JSON support for minimal APIs.</summary>
public static class RecoveryJourneysJsonServiceCollectionExtensions
{
    /// <summary>
    /// Makes minimal-API results write the library's types as a user expects: NodaTime instants and dates as ISO 8601
    /// strings, enums as strings, instance ids as strings, trimming-safe (see <see cref="RecoveryJourneysJson.Configure"/>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddRecoveryJourneysJson(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.Configure<JsonOptions>(o => RecoveryJourneysJson.Configure(o.SerializerOptions));
    }
}
