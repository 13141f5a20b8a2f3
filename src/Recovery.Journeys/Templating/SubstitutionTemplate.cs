using System.Collections;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using HandlebarsDotNet;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Templating;

/// <summary>
/// The fast path of <see cref="HandlebarsTemplateEngine"/> for the commonest templates: literal text, field paths
/// (<c>Votre commande {{event.OrderId}} : il reste {{values.minutesLeft}} minutes</c>) and simple
/// <c>{{#each event.Items}}&lt;img src="{{ImageUrl}}"&gt;{{/each}}</c> blocks, or no expression at all. It writes the
/// text and the values itself, HTML-escaping them with Handlebars' own encoder in HTML templates, and so skips
/// Handlebars' per-render set-up. It hands the render to the compiled Handlebars template whenever a value is not a
/// string or an integer, is missing or null, or an object is of another type than the one it was compiled for: so its
/// output is always Handlebars' own.
/// </summary>
/// <remarks>
/// Accepted: <c>{{root.member(.member)*}}</c> with <c>root</c> one of <c>event</c>, <c>customer</c>, <c>journey</c>
/// (members read from their CLR properties, names matched without regard to case as Handlebars does) or
/// <c>values</c> (one key); <c>{{#each root.path}}</c> over a list, not nested, whose body holds text and paths of
/// the item's members, and whose tags do not stand alone on their lines (Handlebars strips such lines). Anything else
/// (helpers, other blocks, <c>else</c>, comments, partials, triple braces, escaped braces, whitespace control,
/// <c>this</c>, <c>@index</c>, single names) leaves the whole template to Handlebars.
/// </remarks>
internal sealed class SubstitutionTemplate : ICompiledTemplate
{
    private static readonly object Missing = new();

    [ThreadStatic]
    private static StringWriter? _cachedWriter;

    private readonly Part[] _parts;
    private readonly Type _eventType;
    private readonly ITextEncoder? _encoder;
    private readonly ICompiledTemplate _handlebars;
    private readonly int _capacity;

    private SubstitutionTemplate(Part[] parts, Type eventType, ITextEncoder? encoder, ICompiledTemplate handlebars, int capacity)
    {
        _parts = parts;
        _eventType = eventType;
        _encoder = encoder;
        _handlebars = handlebars;
        _capacity = capacity;
    }

    /// <summary>The fast path for <paramref name="source"/>, or <see langword="null"/> when Handlebars must render it.</summary>
    /// <param name="source">The template text.</param>
    /// <param name="shape">The model's shape.</param>
    /// <param name="encoder">Handlebars' encoder of HTML templates; <see langword="null"/> for plain text.</param>
    /// <param name="handlebars">The template compiled by Handlebars, for what the fast path does not handle.</param>
    public static ICompiledTemplate? TryCreate(string source, TemplateModelShape shape, ITextEncoder? encoder, ICompiledTemplate handlebars)
    {
        var parts = new List<Part>();
        List<Part>? body = null;
        Type? itemType = null;
        Func<object, object?>? items = null;
        var position = 0;
        while (true)
        {
            var open = source.IndexOf("{{", position, StringComparison.Ordinal);
            var literal = source[position..(open < 0 ? source.Length : open)];
            if (literal.Contains("}}", StringComparison.Ordinal))
            {
                // A close brace left in the text may belong to a triple-brace or other construct.
                return null;
            }

            if (literal.Length > 0)
            {
                (body ?? parts).Add(new Part(literal, null, null, null));
            }

            if (open < 0)
            {
                break;
            }

            var close = source.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0 || (open > 0 && source[open - 1] == '\\'))
            {
                return null;
            }

            var tag = source.AsSpan(open + 2, close - open - 2).Trim().ToString();
            position = close + 2;
            if (tag.StartsWith("#each ", StringComparison.Ordinal))
            {
                if (body is not null || StandsAlone(source, open, position) || RootAccessor(tag[6..].Trim(), shape, out var listType) is not { } list
                    || ElementType(listType!) is not { } element)
                {
                    return null;
                }

                body = [];
                items = context => list((TemplateModel)context);
                itemType = element;
            }
            else if (tag == "/each")
            {
                if (body is null || StandsAlone(source, open, position))
                {
                    return null;
                }

                parts.Add(new Part(null, items, itemType, [.. body]));
                body = null;
            }
            else if (body is not null)
            {
                // Inside the block, names are the item's members.
                var segments = tag.Split('.');
                var type = itemType!;
                if (!segments.All(IsIdentifier) || Chain(segments, ref type) is not { } member)
                {
                    return null;
                }

                body.Add(new Part(null, member, null, null));
            }
            else
            {
                if (RootAccessor(tag, shape, out _) is not { } value)
                {
                    return null;
                }

                parts.Add(new Part(null, context => value((TemplateModel)context), null, null));
            }
        }

        return body is not null ? null : new SubstitutionTemplate([.. parts], shape.EventType, encoder, handlebars, Math.Max(16, source.Length + 32));
    }

    public string Render(TemplateModel model)
    {
        if (_parts.Length == 0)
        {
            return string.Empty;
        }

        if (_parts is [{ Text: { } text }])
        {
            return text;
        }

        if (model.Event.GetType() != _eventType)
        {
            return _handlebars.Render(model);
        }

        var writer = _cachedWriter ?? new StringWriter(new StringBuilder(_capacity), CultureInfo.InvariantCulture);
        _cachedWriter = null;
        try
        {
            var written = WriteParts(writer, _parts, model);
            return written ? writer.ToString() : _handlebars.Render(model);
        }
        finally
        {
            var builder = writer.GetStringBuilder();
            if (builder.Capacity <= 4096)
            {
                builder.Clear();
                _cachedWriter = writer;
            }
        }
    }

    /// <summary>Writes the parts; <see langword="false"/> as soon as a value needs Handlebars.</summary>
    private bool WriteParts(StringWriter writer, Part[] parts, object context)
    {
        foreach (var part in parts)
        {
            if (part.Text is { } text)
            {
                writer.Write(text);
            }
            else if (part.Body is { } body)
            {
                if (part.Value!(context) is not IEnumerable list)
                {
                    return false;
                }

                foreach (var item in list)
                {
                    if (item is null || item.GetType() != part.ItemType || !WriteParts(writer, body, item))
                    {
                        return false;
                    }
                }
            }
            else
            {
                var formatted = part.Value!(context) switch
                {
                    string s => s,
                    int n => n.ToString(CultureInfo.InvariantCulture),
                    long n => n.ToString(CultureInfo.InvariantCulture),
                    _ => null,
                };
                if (formatted is null)
                {
                    // Null, missing, or a value Handlebars formats its own way (decimal, dates, lists...).
                    return false;
                }

                if (_encoder is null)
                {
                    writer.Write(formatted);
                }
                else
                {
                    _encoder.Encode(formatted, writer);
                }
            }
        }

        return true;
    }

    /// <summary>Whether a block tag is alone on its line, which Handlebars strips with the line's whitespace and break.</summary>
    private static bool StandsAlone(string source, int open, int end)
    {
        var lineStart = source.LastIndexOf('\n', Math.Max(0, open - 1)) + 1;
        if (open > 0 && source[open - 1] == '\n')
        {
            lineStart = open;
        }

        var lineEnd = source.IndexOf('\n', end);
        return string.IsNullOrWhiteSpace(source[lineStart..open]) && string.IsNullOrWhiteSpace(source[end..(lineEnd < 0 ? source.Length : lineEnd)]);
    }

    private static Type? ElementType(Type listType)
    {
        if (listType == typeof(string) || typeof(IDictionary).IsAssignableFrom(listType))
        {
            return null;
        }

        var enumerable = listType.IsGenericType && listType.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? listType
            : listType.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        var element = enumerable?.GetGenericArguments()[0];
        return element is null || element == typeof(object) || element.IsValueType || element.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) && element != typeof(string)
            ? null
            : element;
    }

    private static Func<TemplateModel, object?>? RootAccessor(string path, TemplateModelShape shape, out Type? type)
    {
        type = null;
        var segments = path.Split('.');
        if (segments.Length < 2 || !segments.All(IsIdentifier))
        {
            return null;
        }

        var root = segments[0].ToLowerInvariant();
        if (root == "values")
        {
            if (segments.Length != 2)
            {
                return null;
            }

            var key = segments[1];
            type = typeof(object);
            return model => model.Values.TryGetValue(key, out var value) ? value : Missing;
        }

        Func<TemplateModel, object?> read;
        (type, read) = root switch
        {
            "event" => (shape.EventType, (Func<TemplateModel, object?>)(m => m.Event)),
            "customer" => (typeof(Customer), m => m.Customer),
            "journey" => (typeof(TemplateJourney), m => m.Journey),
            _ => (null!, null!),
        };
        if (type is null || Chain(segments.AsSpan(1), ref type) is not { } chain)
        {
            return null;
        }

        return model => read(model) is { } owner ? chain(owner) : Missing;
    }

    /// <summary>Reads a chain of properties from an owner of <paramref name="type"/>; <see langword="null"/> when a name does not resolve to one property.</summary>
    private static Func<object, object?>? Chain(ReadOnlySpan<string> names, ref Type type)
    {
        var getters = new List<Func<object, object?>>();
        foreach (var name in names)
        {
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase) && p.GetIndexParameters().Length == 0 && p.GetMethod is not null)
                .ToArray();
            if (properties.Length != 1)
            {
                return null;
            }

            getters.Add(Getter(properties[0]));
            type = properties[0].PropertyType;
        }

        var chain = getters.ToArray();
        return owner =>
        {
            object? value = owner;
            foreach (var getter in chain)
            {
                if (value is null)
                {
                    return Missing;
                }

                value = getter(value);
            }

            return value;
        };
    }

    private static Func<object, object?> Getter(PropertyInfo property)
    {
        var owner = Expression.Parameter(typeof(object), "owner");
        var body = Expression.Convert(Expression.Property(Expression.Convert(owner, property.DeclaringType!), property), typeof(object));
        return Expression.Lambda<Func<object, object?>>(body, owner).Compile();
    }

    private static bool IsIdentifier(string segment) =>
        segment.Length > 0 && (char.IsAsciiLetter(segment[0]) || segment[0] == '_') && segment.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && segment != "this" && segment != "else";

    /// <summary>
    /// Literal text, a value, or an <c>#each</c> block (its list, item type and body). Values read from the context:
    /// the model, or inside a block its current item.
    /// </summary>
    private sealed record Part(string? Text, Func<object, object?>? Value, Type? ItemType, Part[]? Body);
}
