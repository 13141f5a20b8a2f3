using System.Buffers;

namespace Recovery.Journeys.Runtime;

/// <summary>
/// What every store can hold, checked when an event is published so that every store behaves the same: an event
/// outside these limits is refused with a <see cref="JourneyEventException"/> that names the journey, before anything
/// changes.
/// </summary>
public static class JourneyLimits
{
    /// <summary>
    /// The longest correlation key or customer id, in UTF-16 characters: 256. Keys are indexed by the durable stores,
    /// and PostgreSQL refuses an index entry over about 2,700 bytes.
    /// </summary>
    public const int MaxKeyLength = 256;

    // The characters a key is checked for one by one: NUL and the surrogates.
    private static readonly SearchValues<char> NulOrSurrogate = SearchValues.Create(['\0', .. Enumerable.Range(0xD800, 0x800).Select(c => (char)c).ToArray()]);

    /// <summary>
    /// Returns why a correlation key or customer id cannot be kept, or <see langword="null"/> when it can: it must be
    /// 1 to <see cref="MaxKeyLength"/> characters of valid UTF-16 (no unpaired surrogate, which SQLite would turn into
    /// U+FFFD and so make two keys one) without the NUL character (which PostgreSQL refuses in text).
    /// </summary>
    /// <param name="value">The key or id.</param>
    public static string? Problem(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "it is null or empty";
        }

        if (value.Length > MaxKeyLength)
        {
            return $"it is {value.Length} characters long, more than {MaxKeyLength}";
        }

        // Most keys hold neither a NUL nor a surrogate: one vectorised search, and the loop below only for the others.
        if (value.AsSpan().IndexOfAny(NulOrSurrogate) < 0)
        {
            return null;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                return $"it contains the NUL character (at {i})";
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"it is not valid UTF-16: an unpaired surrogate at {i}";
            }
        }

        return null;
    }
}
