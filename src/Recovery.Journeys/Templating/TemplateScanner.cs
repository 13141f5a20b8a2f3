namespace Recovery.Journeys.Templating;

/// <summary>
/// Reads a template into its pieces (<see cref="TemplateToken"/>): literal text and tags. The one reader of the
/// Handlebars syntax in the library: <see cref="TemplateFieldChecker"/> checks its tags, <see cref="HtmlUrlAttributes"/>
/// finds the URL attributes in its text, and <see cref="SubstitutionTemplate"/> renders the simple ones itself.
/// </summary>
/// <remarks>
/// Handlebars.Net exposes no syntax tree, hence this scanner. It runs on templates Handlebars has compiled, so it
/// assumes valid syntax and never throws: on anything else it returns its best reading and Handlebars has the last word.
/// Pieces cover the source end to end, in order.
/// </remarks>
internal static class TemplateScanner
{
    private static readonly TemplateExpression NoExpression = new([], []);

    public static IReadOnlyList<TemplateToken> Scan(string source)
    {
        var tokens = new List<TemplateToken>();
        var textStart = 0;
        var textHasEscape = false;
        var search = 0;
        while (search < source.Length)
        {
            var open = source.IndexOf("{{", search, StringComparison.Ordinal);
            if (open < 0)
            {
                break;
            }

            if (IsEscaped(source, open))
            {
                textHasEscape = true;
                search = open + 2;
                continue;
            }

            if (open > textStart)
            {
                tokens.Add(Text(source, textStart, open, textHasEscape));
            }

            var tag = ReadTag(source, open);
            tokens.Add(tag);
            textStart = search = tag.End;
            textHasEscape = false;
        }

        if (textStart < source.Length)
        {
            tokens.Add(Text(source, textStart, source.Length, textHasEscape));
        }

        return tokens;
    }

    /// <summary>Whether <c>{{</c> at <paramref name="open"/> is escaped by one backslash; two write a backslash and keep the tag.</summary>
    private static bool IsEscaped(string source, int open) =>
        open > 0 && source[open - 1] == '\\' && (open < 2 || source[open - 2] != '\\');

    private static TemplateToken Text(string source, int start, int end, bool hasEscape) =>
        new(TemplateTokenKind.Text, start, end, LineOf(source, start), NoExpression) { HasEscapedTag = hasEscape };

    private static TemplateToken ReadTag(string source, int open)
    {
        var line = LineOf(source, open);
        if (source.AsSpan(open).StartsWith("{{{{"))
        {
            var rawEnd = source.IndexOf("}}}}", open, StringComparison.Ordinal);
            var end = rawEnd < 0 ? source.Length : rawEnd + 4;
            return new TemplateToken(TemplateTokenKind.RawBlock, open, end, line, NoExpression) { Display = source[open..end] };
        }

        var p = open + 2;
        var trims = p < source.Length && source[p] == '~';
        p += trims ? 1 : 0;
        if (source.AsSpan(p).StartsWith("!"))
        {
            var close = source.AsSpan(p).StartsWith("!--") ? source.IndexOf("--", p + 3, StringComparison.Ordinal) : p;
            var end = close < 0 ? source.Length : source.IndexOf("}}", close, StringComparison.Ordinal);
            end = end < 0 ? source.Length : end + 2;
            return new TemplateToken(TemplateTokenKind.Comment, open, end, line, NoExpression) { StandsAlone = StandsAlone(source, open, end) };
        }

        if (source.AsSpan(p).StartsWith("{"))
        {
            var close = CloseOf(source, p + 1, "}}}");
            var body = source[(p + 1)..close].Trim();
            var end = Math.Min(source.Length, close + 3);
            return new TemplateToken(TemplateTokenKind.RawValue, open, end, line, TemplateExpression.Parse(body)) { Display = $"{{{{{{{body}}}}}}}", TrimsWhitespace = trims };
        }

        var closeAt = CloseOf(source, p, "}}");
        var bodyEnd = closeAt > p && source[closeAt - 1] == '~' ? closeAt - 1 : closeAt;
        var inner = source[p..bodyEnd].Trim();
        var tagEnd = Math.Min(source.Length, closeAt + 2);
        var (kind, expression, opens) = Classify(inner);
        return new TemplateToken(kind, open, tagEnd, line, TemplateExpression.Parse(expression))
        {
            Display = $"{{{{{inner}}}}}",
            TrimsWhitespace = trims || bodyEnd < closeAt,
            StandsAlone = StandsAlone(source, open, tagEnd),
            OpensBlock = opens,
            IsInverted = kind == TemplateTokenKind.Block && inner.StartsWith('^'),
        };
    }

    /// <summary>What a tag is, from its sigil, and its expression without the sigil.</summary>
    private static (TemplateTokenKind Kind, string Expression, bool OpensBlock) Classify(string inner)
    {
        if (inner.StartsWith("#>", StringComparison.Ordinal))
        {
            return (TemplateTokenKind.PartialBlock, inner[2..], true);
        }

        if (inner.StartsWith("#*", StringComparison.Ordinal))
        {
            var expression = inner[2..].Trim();
            var isInline = TemplateExpression.Parse(expression).Name == "inline";
            return (isInline ? TemplateTokenKind.InlinePartial : TemplateTokenKind.Decorator, expression, true);
        }

        return inner.Length == 0 ? (TemplateTokenKind.Value, inner, false) : inner[0] switch
        {
            '#' => (TemplateTokenKind.Block, inner[1..], true),
            '^' when inner.Length == 1 => (TemplateTokenKind.Else, string.Empty, false),
            '^' => (TemplateTokenKind.Block, inner[1..], true),
            '/' => (TemplateTokenKind.Close, inner[1..], false),
            '>' => (TemplateTokenKind.Partial, inner[1..], false),
            '*' => (TemplateTokenKind.Decorator, inner[1..], false),
            _ when inner == "else" || inner.StartsWith("else ", StringComparison.Ordinal) => (TemplateTokenKind.Else, inner[4..], false),
            _ => (TemplateTokenKind.Value, inner, false),
        };
    }

    /// <summary>Where the tag's closing braces start, skipping quoted strings (<c>{{helper "a}}b"}}</c>); the end of the source when unclosed.</summary>
    private static int CloseOf(string source, int from, string close)
    {
        for (var i = from; i < source.Length; i++)
        {
            if (source[i] is '"' or '\'')
            {
                var quote = source.IndexOf(source[i], i + 1);
                if (quote < 0)
                {
                    break;
                }

                i = quote;
            }
            else if (source.AsSpan(i).StartsWith(close))
            {
                return i;
            }
        }

        var naive = source.IndexOf(close, from, StringComparison.Ordinal);
        return naive < 0 ? source.Length : naive;
    }

    /// <summary>Whether only whitespace shares the tag's line.</summary>
    private static bool StandsAlone(string source, int open, int end)
    {
        var lineStart = open == 0 ? 0 : source.LastIndexOf('\n', open - 1) + 1;
        var lineEnd = source.IndexOf('\n', end);
        return source.AsSpan(lineStart, open - lineStart).IsWhiteSpace()
            && source.AsSpan(end, (lineEnd < 0 ? source.Length : lineEnd) - end).IsWhiteSpace();
    }

    private static int LineOf(string source, int index) => 1 + source.AsSpan(0, index).Count('\n');
}
