using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NodaTime;

namespace Recovery.Journeys.AspNetCore.Dashboard;

/// <summary>
/// Masks the personal data of a real trigger event's JSON before a preview renders it: every string becomes
/// <see cref="Masked"/> except the few shapes that carry no person and that reading the event back needs.
/// </summary>
/// <remarks>
/// <para>
/// A name, an address or a gift message has no recognisable shape, so strings are masked unless they are kept on
/// purpose (a list of what to remove, such as the engine's error redaction of e-mail addresses and phone numbers,
/// would let them through). Kept: dates, times and durations in ISO form (NodaTime's JSON), IANA time zone ids,
/// culture names such as <c>fr-CH</c>, three-letter upper-case codes (currencies), and the scheme and host of an
/// absolute web address (its path and query become <c>/masked</c>). A GUID keeps its format with every digit 0.
/// </para>
/// <para>
/// Numbers and booleans are kept (amounts, quantities), except a number that is one of the instance's ids (a numeric
/// customer id), which becomes 0; a string id is masked like any string. Property names are kept: they are the
/// event's shape, not its data.
/// </para>
/// </remarks>
internal static partial class PersonalDataMask
{
    /// <summary>What a masked string becomes.</summary>
    public const string Masked = "[masked]";

    /// <summary>The event's JSON with its personal data masked.</summary>
    /// <param name="json">The event as JSON.</param>
    /// <param name="ids">The instance's ids (correlation key, customer id), masked wherever they appear as a value.</param>
    /// <returns>The masked JSON.</returns>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static string MaskJson(string json, IReadOnlyCollection<string?> ids)
    {
        var root = JsonNode.Parse(json);
        var masked = root is JsonValue value ? MaskValue(value, ids) : MaskInPlace(root, ids);
        return masked?.ToJsonString() ?? "null";
    }

    /// <summary>A string with its personal data masked, by the rules of <see cref="PersonalDataMask"/>.</summary>
    public static string MaskString(string value, IReadOnlyCollection<string?> ids)
    {
        if (ids.Contains(value))
        {
            return Masked;
        }

        if (IsTemporal(value) || DateTimeZoneProviders.Tzdb.GetZoneOrNull(value) is not null || IsCultureName(value) || CodePattern().IsMatch(value))
        {
            return value;
        }

        if (Guid.TryParse(value, out _))
        {
            return HexDigitPattern().Replace(value, "0");
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? $"{uri.GetLeftPart(UriPartial.Authority)}/masked"
            : Masked;
    }

    private static JsonNode? MaskInPlace(JsonNode? node, IReadOnlyCollection<string?> ids)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (obj[name] is JsonValue value)
                    {
                        obj[name] = MaskValue(value, ids);
                    }
                    else
                    {
                        MaskInPlace(obj[name], ids);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value)
                    {
                        array[i] = MaskValue(value, ids);
                    }
                    else
                    {
                        MaskInPlace(array[i], ids);
                    }
                }

                break;
        }

        return node;
    }

    private static JsonNode? MaskValue(JsonValue value, IReadOnlyCollection<string?> ids) => value.GetValueKind() switch
    {
        JsonValueKind.String => JsonValue.Create(MaskString(value.GetValue<string>(), ids)),
        JsonValueKind.Number when ids.Contains(value.ToJsonString()) => JsonValue.Create(0),
        _ => value.DeepClone(),
    };

    private static bool IsTemporal(string value)
    {
        var match = TemporalPattern().Match(value);
        return match.Success && (!match.Groups["zone"].Success || DateTimeZoneProviders.Tzdb.GetZoneOrNull(match.Groups["zone"].Value) is not null);
    }

    private static bool IsCultureName(string value)
    {
        if (!CultureNamePattern().IsMatch(value))
        {
            return false;
        }

        try
        {
            return CultureInfo.GetCultureInfo(value, predefinedOnly: true).Name.Length > 0;
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }

    // An ISO date, date-time (offset and NodaTime's zone id optional), local time, NodaTime duration (-D:hh:mm:ss.fff) or ISO period.
    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?( (?<zone>[A-Za-z0-9_/+\-]+))?)?|\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?|-?\d+:\d{2}:\d{2}:\d{2}(\.\d{1,9})?|P(\d+[YMWD])*(T(\d+(\.\d+)?[HMS])+)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex TemporalPattern();

    // Language and region, at least one subtag: fr-CH, en-GB, zh-Hant-TW (a bare "fr" could be someone's initials).
    [GeneratedRegex(@"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})+$", RegexOptions.CultureInvariant)]
    private static partial Regex CultureNamePattern();

    [GeneratedRegex(@"^[A-Z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"[0-9A-Fa-f]", RegexOptions.CultureInvariant)]
    private static partial Regex HexDigitPattern();
}
