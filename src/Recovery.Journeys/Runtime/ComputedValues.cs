using System.Diagnostics.CodeAnalysis;

namespace Recovery.Journeys.Runtime;

/// <summary>
/// A send's computed template values (<c>values.*</c>): the journey's names, shared by every send, beside this send's
/// values in the same order. Two objects per send where a dictionary made four; a journey has a handful of computed
/// values, so a lookup compares names in order.
/// </summary>
internal sealed class ComputedValues(string[] names, object?[] values) : IReadOnlyDictionary<string, object?>
{
    public int Count => names.Length;

    public IEnumerable<string> Keys => names;

    public IEnumerable<object?> Values => values;

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No computed value '{key}'.");

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? values[index] : null;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < names.Length; i++)
        {
            yield return new(names[i], values[i]);
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(names[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
