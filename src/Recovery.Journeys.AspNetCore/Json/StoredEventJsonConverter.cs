using System.Text.Json;
using System.Text.Json.Serialization;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.AspNetCore.Json;

/// <summary>Writes a <see cref="StoredEvent"/> as the event's own JSON (as the store keeps it), and reads any JSON value back into one.</summary>
public sealed class StoredEventJsonConverter : JsonConverter<StoredEvent>
{
    /// <inheritdoc />
    public override StoredEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return StoredEvent.FromJson(document.RootElement.GetRawText());
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, StoredEvent value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteRawValue(value.ToJson(), skipInputValidation: true);
    }
}
