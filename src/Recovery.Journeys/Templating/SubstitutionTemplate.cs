using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text;
using HandlebarsDotNet;
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
/// Built from the template's tokens (<see cref="TemplateScanner"/>). Accepted: <c>{{root.member(.member)*}}</c> with
/// <c>root</c> one of <c>event</c>, <c>customer</c>, <c>journey</c> (members read from their CLR properties, names
/// matched without regard to case as Handlebars does) or <c>values</c> (one key); <c>{{#each root.path}}</c> over a
/// list, not nested, whose body holds text and paths of the item's members, and whose tags do not stand alone on
/// their lines (Handlebars strips such lines). Anything else (helpers, other blocks, <c>else</c>, comments, partials,
/// triple braces, escaped braces, whitespace control, <c>this</c>, <c>@index</c>, single names) leaves the whole
/// template to Handlebars. The values of URL attributes (<see cref="UrlAttribute"/>) are checked as Handlebars'
/// <see cref="UrlAttributeGuard"/> checks them: a scriptable URL is replaced.
/// </remarks>
internal sealed class SubstitutionTemplate : ICompiledTemplate
{
    /// <summary>What a getter returns for a value that is not in the model: the render goes to Handlebars.</summary>
    internal static readonly object Missing = new();

    /// <summary>
    /// The characters Handlebars' HTML encoder escapes (handlebars.js's set). A value without any is written as it is,
    /// which is what the encoder would write; precomputed, this search costs less than the encoder's own, which sets up
    /// its seven characters on every call in Handlebars.Net 2.4.
    /// </summary>
    private static readonly SearchValues<char> HtmlEscaped = SearchValues.Create("&<>\"'`=");

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

    private enum PartKind
    {
        /// <summary>Literal text.</summary>
        Text,

        /// <summary>A value read from the context.</summary>
        Value,

        /// <summary>An <c>#each</c> block: its list, item type and body.</summary>
        Each,

        /// <summary>A URL attribute's value made of one value: checked before it is escaped.</summary>
        UrlValue,

        /// <summary>A URL attribute's value made of text and values: checked once written.</summary>
        Url,
    }

    /// <summary>The fast path for a template, or <see langword="null"/> when Handlebars must render it.</summary>
    /// <param name="source">The template text.</param>
    /// <param name="tokens">The template, scanned.</param>
    /// <param name="urlAttributes">Its URL attributes whose values are checked (HTML templates).</param>
    /// <param name="shape">The model's shape.</param>
    /// <param name="encoder">Handlebars' encoder of HTML templates; <see langword="null"/> for plain text.</param>
    /// <param name="handlebars">The template Handlebars renders, for what the fast path does not handle; compiled on its first render.</param>
    public static ICompiledTemplate? TryCreate(
        string source,
        IReadOnlyList<TemplateToken> tokens,
        IReadOnlyList<UrlAttribute> urlAttributes,
        TemplateModelShape shape,
        ITextEncoder? encoder,
        ICompiledTemplate handlebars)
    {
        var builder = new Builder(source, urlAttributes);
        foreach (var token in tokens)
        {
            if (!builder.Add(token, shape))
            {
                return null;
            }
        }

        return builder.Finish() is { } parts
            ? new SubstitutionTemplate(parts, shape.EventType, encoder, handlebars, Math.Max(16, source.Length + 32))
            : null;
    }

    /// <summary>Whether the template is text alone: it renders without reading its model.</summary>
    internal bool IsConstant => _parts is [] or [{ Kind: PartKind.Text, Text: not null }];

    /// <summary>The Handlebars template a render falls back to.</summary>
    internal ICompiledTemplate Fallback => _handlebars;

    public string Render(TemplateModel model)
    {
        if (_parts.Length == 0)
        {
            return string.Empty;
        }

        if (_parts is [{ Kind: PartKind.Text, Text: { } text }])
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
            switch (part.Kind)
            {
                case PartKind.Text:
                    writer.Write(part.Text);
                    break;
                case PartKind.Each:
                    if (part.Value!(context) is not IEnumerable list)
                    {
                        return false;
                    }

                    foreach (var item in list)
                    {
                        if (item is null || item.GetType() != part.ItemType || !WriteParts(writer, part.Body!, item))
                        {
                            return false;
                        }
                    }

                    break;
                case PartKind.Value:
                    if (Format(part.Value!(context)) is not { } value)
                    {
                        return false;
                    }

                    WriteValue(writer, value);
                    break;
                case PartKind.UrlValue:
                    // The value is the whole attribute: what the browser reads once it decodes the escaped text.
                    if (Format(part.Value!(context)) is not { } url)
                    {
                        return false;
                    }

                    if (ScriptableUrls.IsScriptable(url))
                    {
                        writer.Write(part.Text);
                    }
                    else
                    {
                        WriteValue(writer, url);
                    }

                    break;
                case PartKind.Url:
                    var builder = writer.GetStringBuilder();
                    var start = builder.Length;
                    if (!WriteParts(writer, part.Body!, context))
                    {
                        return false;
                    }

                    if (ScriptableUrls.IsScriptableHtml(builder.ToString(start, builder.Length - start)))
                    {
                        builder.Length = start;
                        writer.Write(part.Text);
                    }

                    break;
            }
        }

        return true;
    }

    /// <summary>A value as Handlebars writes it, or <see langword="null"/> for one it formats its own way (null, missing, decimal, dates, lists...).</summary>
    private static string? Format(object? value) => value switch
    {
        string s => s,
        int n => n.ToString(CultureInfo.InvariantCulture),
        long n => n.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    private void WriteValue(StringWriter writer, string value)
    {
        if (_encoder is null || !value.AsSpan().ContainsAny(HtmlEscaped))
        {
            writer.Write(value);
        }
        else
        {
            _encoder.Encode(value, writer);
        }
    }

    /// <summary>
    /// One piece of the template: literal text, a value, an <c>#each</c> block (its list, item type and body) or a URL
    /// attribute's value (its body, and in <see cref="Text"/> what replaces a scriptable URL). Values read from the
    /// context: the model, or inside a block its current item.
    /// </summary>
    private sealed record Part(PartKind Kind, string? Text = null, Func<object, object?>? Value = null, Type? ItemType = null, Part[]? Body = null);

    /// <summary>
    /// Turns the tokens into parts, in order; <see langword="false"/> from <see cref="Add"/> for a token the fast path
    /// does not handle. It opens a URL attribute's part where the attribute's value starts, inside a text token or
    /// before a tag, and closes it where the value ends.
    /// </summary>
    private sealed class Builder(string source, IReadOnlyList<UrlAttribute> urlAttributes)
    {
        private readonly List<Part> _top = [];
        private readonly UrlAttribute[] _attributes = [.. urlAttributes.OrderBy(a => a.ValueStart)];
        private int _nextAttribute;
        private UrlAttribute? _attribute;
        private List<Part>? _url;
        private List<Part>? _each;
        private Func<object, object?>? _items;
        private Type? _itemType;

        private List<Part> Current => _url ?? _each ?? _top;

        public bool Add(TemplateToken token, TemplateModelShape shape)
        {
            ReachAttributeBounds(token.Start);
            var expression = token.Expression;
            var plainTag = !token.TrimsWhitespace && !token.StandsAlone;
            switch (token.Kind)
            {
                case TemplateTokenKind.Text when !token.HasEscapedTag:
                    return AddText(token.Start, token.End);
                case TemplateTokenKind.Value when expression.Words.Count == 1 && !token.TrimsWhitespace:
                    return AddValue(expression.Name, shape);
                case TemplateTokenKind.Block when expression is { Name: "each", Words.Count: 2, BlockParams.Count: 0 } && !token.IsInverted && plainTag
                    && _each is null && _url is null:
                    if (TemplatePaths.RootAccessor(expression.Words[1], shape, out var listType) is not { } list || TemplatePaths.ElementType(listType!) is not { } element)
                    {
                        return false;
                    }

                    _each = [];
                    _items = list;
                    _itemType = element;
                    return true;
                case TemplateTokenKind.Close when expression.Name == "each" && plainTag && _each is not null && _url is null:
                    _top.Add(new Part(PartKind.Each, Value: _items, ItemType: _itemType, Body: [.. _each]));
                    _each = null;
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>The parts, or <see langword="null"/> when a block or an attribute is left open.</summary>
        public Part[]? Finish()
        {
            ReachAttributeBounds(source.Length);
            return _each is null && _url is null ? [.. _top] : null;
        }

        private bool AddText(int start, int end)
        {
            if (source.AsSpan(start, end - start).Contains("}}", StringComparison.Ordinal))
            {
                // A close brace left in the text may belong to a construct the scanner does not know.
                return false;
            }

            for (var at = start; at < end;)
            {
                var cut = Math.Min(end, NextBound());
                if (cut > at)
                {
                    Current.Add(new Part(PartKind.Text, source[at..cut]));
                }

                at = cut;
                ReachAttributeBounds(at);
            }

            return true;
        }

        private bool AddValue(string path, TemplateModelShape shape)
        {
            if (_each is not null)
            {
                // Inside the block, names are the item's members.
                var segments = path.Split('.');
                var type = _itemType!;
                if (!segments.All(TemplatePaths.IsIdentifier) || TemplatePaths.Chain(segments, ref type) is not { } member)
                {
                    return false;
                }

                Current.Add(new Part(PartKind.Value, Value: member));
                return true;
            }

            if (TemplatePaths.RootAccessor(path, shape, out _) is not { } value)
            {
                return false;
            }

            Current.Add(new Part(PartKind.Value, Value: value));
            return true;
        }

        private int NextBound() =>
            _attribute?.ValueEnd ?? (_nextAttribute < _attributes.Length ? _attributes[_nextAttribute].ValueStart : int.MaxValue);

        /// <summary>Opens and closes the URL attributes whose bounds are at or before <paramref name="offset"/>.</summary>
        private void ReachAttributeBounds(int offset)
        {
            while (NextBound() <= offset)
            {
                if (_attribute is null)
                {
                    _attribute = _attributes[_nextAttribute++];
                    _url = [];
                    continue;
                }

                var container = _each ?? _top;
                container.Add(_url is [{ Kind: PartKind.Value } value]
                    ? value with { Kind = PartKind.UrlValue, Text = _attribute.Replacement }
                    : new Part(PartKind.Url, _attribute.Replacement, Body: [.. _url!]));
                _attribute = null;
                _url = null;
            }
        }
    }
}
