using System.Text.Json;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace Recovery.Journeys.Storage;

/// <summary>The JSON settings with which durable stores keep trigger events.</summary>
public static class JourneyJson
{
    /// <summary>
    /// Web defaults (camelCase, case-insensitive reads) with NodaTime types written in ISO form. Read-only.
    /// </summary>
    public static JsonSerializerOptions DefaultOptions { get; } = CreateDefaultOptions();

    private static JsonSerializerOptions CreateDefaultOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web).ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
