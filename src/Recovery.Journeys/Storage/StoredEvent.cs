using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Recovery.Journeys.Storage;

/// <summary>
/// The event that started a journey instance, kept as an object by the in-memory store and as JSON by durable stores.
/// </summary>
/// <remarks>Conversions are done at most once each and cached; concurrent first calls may both convert, harmlessly.</remarks>
public sealed class StoredEvent
{
    /// <summary>The largest buffer a thread keeps between two publications.</summary>
    private const int MaxKeptBuffer = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private readonly JsonSerializerOptions _options;
    private object? _value;
    private string? _json;

    private StoredEvent(object? value, string? json, JsonSerializerOptions options)
    {
        _value = value;
        _json = json;
        _options = options;
    }

    /// <summary>Wraps an event object.</summary>
    /// <param name="value">The event.</param>
    /// <param name="options">How to write it as JSON when a store asks; defaults to <see cref="JourneyJson.DefaultOptions"/>.</param>
    public static StoredEvent FromValue(object value, JsonSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new StoredEvent(value, null, options ?? JourneyJson.DefaultOptions);
    }

    /// <summary>Wraps an event read back from a store as JSON.</summary>
    /// <param name="json">The JSON written by <see cref="ToJson"/>.</param>
    /// <param name="options">How to read it; defaults to <see cref="JourneyJson.DefaultOptions"/>.</param>
    public static StoredEvent FromJson(string json, JsonSerializerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(json);
        return new StoredEvent(null, json, options ?? JourneyJson.DefaultOptions);
    }

    /// <summary>Returns the event as JSON, for stores that persist it.</summary>
    public string ToJson() => _json ??= JsonSerializer.Serialize(_value, _options.GetTypeInfo(_value!.GetType()));

    /// <summary>
    /// Writes the event as UTF-8 JSON, as <see cref="ToJson"/> writes it, into a buffer of the calling thread that the
    /// next call on the thread overwrites: for the checks made when the event arrives, so that a store that keeps the
    /// object (the in-memory store) never also holds its JSON, and a publication allocates no buffer of its own.
    /// </summary>
    /// <returns>The JSON; read it before the thread's next call.</returns>
    internal ReadOnlySpan<byte> WriteUtf8JsonToThreadBuffer()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        if (_json is { } json)
        {
            Encoding.UTF8.GetBytes(json, buffer);
        }
        else
        {
            var writer = t_writer ??= new Utf8JsonWriter(buffer);
            writer.Reset(buffer);
            JsonSerializer.Serialize(writer, _value, _options.GetTypeInfo(_value!.GetType()));
            writer.Flush();
        }

        var written = buffer.WrittenSpan;
        if (buffer.Capacity > MaxKeptBuffer)
        {
            // A rare large event: its buffer is not kept for the thread's life.
            (t_buffer, t_writer) = (null, null);
        }

        return written;
    }

    /// <summary>
    /// Looks for a NUL character in the strings the event's JSON would hold without writing it, where the event's JSON
    /// contract allows (EventStringWalk, on .NET 9 and later): <see langword="false"/> when the JSON has to be written to know.
    /// </summary>
    internal bool TryFindNulWithoutJson(out bool found)
    {
        found = false;
#if NET9_0_OR_GREATER
        return _value is { } value && EventStringWalk.TryFindNul(value, _options, out found);
#else
        return false;
#endif
    }

    internal TEvent GetValue<TEvent>()
    {
        if (_value is TEvent typed)
        {
            return typed;
        }

        var value = JsonSerializer.Deserialize(_json!, (JsonTypeInfo<TEvent>)_options.GetTypeInfo(typeof(TEvent)))
            ?? throw new JsonException($"The stored {typeof(TEvent).Name} event is the JSON null.");
        _value = value;
        return value;
    }
}
