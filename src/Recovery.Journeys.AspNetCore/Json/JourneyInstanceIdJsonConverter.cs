using System.Text.Json;
using System.Text.Json.Serialization;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.AspNetCore.Json;

/// <summary>Writes a <see cref="JourneyInstanceId"/> as its 32 hexadecimal digits (<c>"3f2b…"</c>), as URLs and logs show it, and reads it back.</summary>
public sealed class JourneyInstanceIdJsonConverter : JsonConverter<JourneyInstanceId>
{
    /// <inheritdoc />
    public override JourneyInstanceId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return Guid.TryParse(text, out var guid) ? new JourneyInstanceId(guid) : throw new JsonException($"'{text}' is not a journey instance id.");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, JourneyInstanceId value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
