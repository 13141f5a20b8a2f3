using System.Text.Json;
using System.Text.Json.Serialization;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Reports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.AspNetCore.Json;

/// <summary>
/// Source-generated serialization metadata for the public types a host returns from its endpoints, so serializing them
/// works when the app is trimmed. Use it through <see cref="RecoveryJourneysJson.Configure"/>, which adds the converters
/// (NodaTime, enums as strings, ids as strings) it relies on.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(JourneyReport))]
[JsonSerializable(typeof(JourneyInstance))]
[JsonSerializable(typeof(IReadOnlyList<JourneyInstance>))]
[JsonSerializable(typeof(JourneyRecord))]
[JsonSerializable(typeof(IReadOnlyList<JourneyRecord>))]
[JsonSerializable(typeof(PublishResult))]
[JsonSerializable(typeof(JourneyPause))]
[JsonSerializable(typeof(IReadOnlyList<JourneyPause>))]
[JsonSerializable(typeof(JourneyInstanceId))]
public sealed partial class RecoveryJourneysJsonContext : JsonSerializerContext;
