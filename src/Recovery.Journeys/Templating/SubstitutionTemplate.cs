using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Recovery.Journeys.Customers;

namespace Recovery.Journeys.Templating;

/// <summary>
/// The fast path of <see cref="HandlebarsTemplateEngine"/> for the commonest plain-text templates: literal text and
/// field paths only (<c>Votre commande {{event.OrderId}} : il reste {{values.minutesLeft}} minutes</c>), or no
/// expression at all. It writes the text and the values itself, skipping Handlebars' per-render set-up, and hands the
/// render to the compiled Handlebars template whenever a value is not a string or an integer, is missing or null, or
/// the event is of another type than the journey's: so its output is always Handlebars' own.
/// </summary>
/// <remarks>
/// Accepted expressions: <c>{{root.member(.member)*}}</c> with <c>root</c> one of <c>event</c>, <c>customer</c>,
/// <c>journey</c> (members read from their CLR properties, names matched without regard to case as Handlebars does)
/// or <c>values</c> (one key). Anything else (helpers, blocks, comments, partials, triple braces, escaped braces,
/// whitespace control, <c>this</c>, <c>@root</c>, single names) leaves the whole template to Handlebars. HTML
/// templates always go to Handlebars, which escapes.
/// </remarks>
internal sealed class SubstitutionTemplate : ICompiledTemplate
{
    private static readonly object Missing = new();

    private readonly string[] _literals;
    private readonly Func<TemplateModel, object?>[] _values;
    private readonly Type _eventType;
    private readonly ICompiledTemplate _handlebars;
    private readonly int _literalLength;

    private SubstitutionTemplate(string[] literals, Func<TemplateModel, object?>[] values, Type eventType, ICompiledTemplate handlebars)
    {
        _literals = literals;
        _values = values;
        _eventType = eventType;
        _handlebars = handlebars;
        _literalLength = literals.Sum(l => l.Length);
    }

    /// <summary>The fast path for <paramref name="source"/>, or <see langword="null"/> when Handlebars must render it.</summary>
    public static ICompiledTemplate? TryCreate(string source, TemplateFormat format, TemplateModelShape shape, ICompiledTemplate handlebars)
    {
        if (format != TemplateFormat.PlainText)
        {
            return null;
        }

        var literals = new List<string>();
        var values = new List<Func<TemplateModel, object?>>();
        var position = 0;
        while (true)
        {
            var open = source.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                literals.Add(source[position..]);
                break;
            }

            var close = source.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0 || (open > 0 && source[open - 1] == '\\') || Accessor(source.AsSpan(open + 2, close - open - 2).Trim().ToString(), shape) is not { } accessor)
            {
                return null;
            }

            literals.Add(source[position..open]);
            values.Add(accessor);
            position = close + 2;
        }

        // A close brace left in the text may belong to a triple-brace or other construct: leave it to Handlebars.
        return literals.Any(l => l.Contains("}}", StringComparison.Ordinal))
            ? null
            : new SubstitutionTemplate([.. literals], [.. values], shape.EventType, handlebars);
    }

    public string Render(TemplateModel model)
    {
        if (_values.Length == 0)
        {
            return _literals[0];
        }

        if (model.Event.GetType() != _eventType)
        {
            return _handlebars.Render(model);
        }

        var text = new DefaultInterpolatedStringHandler(_literalLength, _values.Length, CultureInfo.InvariantCulture);
        for (var i = 0; i < _values.Length; i++)
        {
            text.AppendLiteral(_literals[i]);
            switch (_values[i](model))
            {
                case string value:
                    text.AppendLiteral(value);
                    break;
                case int value:
                    text.AppendFormatted(value);
                    break;
                case long value:
                    text.AppendFormatted(value);
                    break;
                default:
                    // Null, missing, or a value Handlebars formats its own way (decimal, dates, lists...).
                    text.ToStringAndClear();
                    return _handlebars.Render(model);
            }
        }

        text.AppendLiteral(_literals[^1]);
        return text.ToStringAndClear();
    }

    private static Func<TemplateModel, object?>? Accessor(string path, TemplateModelShape shape)
    {
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
            return model => model.Values.TryGetValue(key, out var value) ? value : Missing;
        }

        var (type, read) = root switch
        {
            "event" => (shape.EventType, (Func<TemplateModel, object?>)(m => m.Event)),
            "customer" => (typeof(Customer), m => m.Customer),
            "journey" => (typeof(TemplateJourney), m => m.Journey),
            _ => (null!, null!),
        };
        if (type is null)
        {
            return null;
        }

        foreach (var name in segments.Skip(1))
        {
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase) && p.GetIndexParameters().Length == 0 && p.GetMethod is not null)
                .ToArray();
            if (properties.Length != 1)
            {
                return null;
            }

            var getter = Getter(properties[0]);
            var previous = read;
            read = model => previous(model) is { } owner && owner != Missing ? getter(owner) : Missing;
            type = properties[0].PropertyType;
        }

        return read;
    }

    private static Func<object, object?> Getter(PropertyInfo property)
    {
        var owner = Expression.Parameter(typeof(object), "owner");
        var body = Expression.Convert(Expression.Property(Expression.Convert(owner, property.DeclaringType!), property), typeof(object));
        return Expression.Lambda<Func<object, object?>>(body, owner).Compile();
    }

    private static bool IsIdentifier(string segment) =>
        segment.Length > 0 && (char.IsAsciiLetter(segment[0]) || segment[0] == '_') && segment.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
