using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace Recovery.Journeys.Storage;

/// <summary>The JSON settings with which durable stores keep trigger events.</summary>
public static class JourneyJson
{
    /// <summary>
    /// Web defaults (camelCase, case-insensitive reads) with NodaTime types written in ISO form. Read-only. Event types
    /// are read by reflection; where reflection-based serialization is off (a trimmed or native AOT app), no type is
    /// known: use <see cref="CreateOptions"/> with your source-generated context instead.
    /// </summary>
    public static JsonSerializerOptions DefaultOptions { get; } = CreateOptions(ReflectionResolver());

    /// <summary>
    /// The same settings as <see cref="DefaultOptions"/> with the types your <paramref name="typeInfoResolver"/> knows,
    /// for a trimmed or native AOT app: pass a <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> of
    /// your event and webhook payload types, and set the result as the engine's and the store's
    /// <c>EventSerializerOptions</c>. Read-only.
    /// </summary>
    /// <param name="typeInfoResolver">Your types' JSON contracts, usually <c>MyJsonContext.Default</c>.</param>
    public static JsonSerializerOptions CreateOptions(IJsonTypeInfoResolver typeInfoResolver)
    {
        ArgumentNullException.ThrowIfNull(typeInfoResolver);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web).ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        options.TypeInfoResolver = typeInfoResolver;
        options.MakeReadOnly();
        return options;
    }

    // The pattern of ASP.NET Core's default options: the reflection resolver only where the app has reflection-based
    // serialization (the feature switch is off in trimmed and AOT apps, and the trimmer then removes this branch).
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Used only when JsonSerializer.IsReflectionEnabledByDefault, which trimmed apps turn off.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Used only when JsonSerializer.IsReflectionEnabledByDefault, which AOT apps turn off.")]
    private static IJsonTypeInfoResolver ReflectionResolver() =>
        JsonSerializer.IsReflectionEnabledByDefault ? new DefaultJsonTypeInfoResolver() : JsonTypeInfoResolver.Combine();
}
