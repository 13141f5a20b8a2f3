using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recovery.Journeys.Relational;

/// <summary>
/// An instance's variables as the SQL stores keep them, a JSON object of strings; the contract is generated at build
/// time, so the stores need no reflection (trimmed and AOT apps).
/// </summary>
[JsonSerializable(typeof(ImmutableDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class VariablesJson : JsonSerializerContext
{
    /// <summary>Writes the variables.</summary>
    public static string Write(ImmutableDictionary<string, string> variables) =>
        JsonSerializer.Serialize(variables, Default.ImmutableDictionaryStringString);

    /// <summary>Reads variables written by <see cref="Write"/>.</summary>
    public static ImmutableDictionary<string, string> Read(string json) =>
        (JsonSerializer.Deserialize(json, Default.DictionaryStringString) ?? []).ToImmutableDictionary();
}
