using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace Recovery.Journeys.AspNetCore.Json;

/// <summary>
/// JSON for the library's public types as a host returns them: instants and dates as ISO 8601 strings (NodaTime), enums
/// as strings (<c>"Converted"</c>), instance ids as strings, a stored trigger as the event's own JSON.
/// </summary>
public static class RecoveryJourneysJson
{
    /// <summary>
    /// Adds the converters and the source-generated <see cref="RecoveryJourneysJsonContext"/> (first, so the library's
    /// types serialize without reflection) to <paramref name="options"/>; the host's own types keep their resolver.
    /// </summary>
    /// <param name="options">Options not yet used (options are read-only once used).</param>
    /// <returns>The same options.</returns>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        if (EnumsAsStrings() is { } enums)
        {
            AddOnce(options, enums);
        }

        AddOnce(options, new JourneyInstanceIdJsonConverter());
        AddOnce(options, new StoredEventJsonConverter());
        if (!options.TypeInfoResolverChain.OfType<RecoveryJourneysJsonContext>().Any())
        {
            options.TypeInfoResolverChain.Insert(0, RecoveryJourneysJsonContext.Default);
        }

        return options;
    }

    /// <summary>New options for the web defaults (camelCase), configured by <see cref="Configure"/>.</summary>
    public static JsonSerializerOptions CreateOptions() => Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    // Enums of the host's own types as strings too where the app has dynamic code. In a native AOT app the library's
    // enums are strings through the context (UseStringEnumConverter), the host's through its own context's setting.
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Created only when RuntimeFeature.IsDynamicCodeSupported, which native AOT apps do not have.")]
    private static JsonStringEnumConverter? EnumsAsStrings() => RuntimeFeature.IsDynamicCodeSupported ? new JsonStringEnumConverter() : null;

    private static void AddOnce<TConverter>(JsonSerializerOptions options, TConverter converter)
        where TConverter : JsonConverter
    {
        if (!options.Converters.OfType<TConverter>().Any())
        {
            options.Converters.Add(converter);
        }
    }
}
