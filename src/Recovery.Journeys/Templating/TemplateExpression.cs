namespace Recovery.Journeys.Templating;

/// <summary>
/// The words of a tag's expression: <c>money (discounted event.Total 0.6) "EUR"</c> is the name <c>money</c> and two
/// arguments; <c>each event.Items as |item i|</c> also has the block parameters <c>item</c> and <c>i</c>.
/// </summary>
/// <param name="Words">The name, then the arguments, each whole: a path, a literal (<c>"EUR"</c>, <c>0.6</c>), a hash
/// argument (<c>key=value</c>) or a sub-expression in parentheses.</param>
/// <param name="BlockParams">The names after <c>as |...|</c>, if any.</param>
internal sealed record TemplateExpression(IReadOnlyList<string> Words, IReadOnlyList<string> BlockParams)
{
    /// <summary>The first word: the helper called or the path written; empty for an empty expression.</summary>
    public string Name => Words.Count > 0 ? Words[0] : string.Empty;

    /// <summary>The words after the name.</summary>
    public IEnumerable<string> Arguments => Words.Skip(1);

    /// <summary>Splits an expression into words, keeping quoted strings, sub-expressions and <c>[segments]</c> whole.</summary>
    /// <param name="body">The expression, without the braces and the tag's sigil.</param>
    public static TemplateExpression Parse(string body)
    {
        var words = new List<string>();
        IReadOnlyList<string> blockParams = [];
        var i = 0;
        while (i < body.Length)
        {
            if (char.IsWhiteSpace(body[i]))
            {
                i++;
                continue;
            }

            var start = i;
            if (body[i] is '"' or '\'')
            {
                i = body.IndexOf(body[i], i + 1);
                i = i < 0 ? body.Length : i + 1;
            }
            else if (body[i] == '(')
            {
                i = SubExpressionEnd(body, i);
            }
            else if (body.AsSpan(i).StartsWith("as |"))
            {
                blockParams = body[(i + 4)..].TrimEnd().TrimEnd('|').Split(' ', StringSplitOptions.RemoveEmptyEntries);
                break;
            }
            else
            {
                i = WordEnd(body, i);
            }

            words.Add(body[start..Math.Min(i, body.Length)]);
        }

        return new TemplateExpression(words, blockParams);
    }

    private static int SubExpressionEnd(string body, int i)
    {
        var depth = 0;
        for (; i < body.Length; i++)
        {
            if (body[i] is '"' or '\'')
            {
                var end = body.IndexOf(body[i], i + 1);
                i = end < 0 ? body.Length - 1 : end;
                continue;
            }

            depth += body[i] == '(' ? 1 : body[i] == ')' ? -1 : 0;
            if (depth == 0)
            {
                return i + 1;
            }
        }

        return body.Length;
    }

    private static int WordEnd(string body, int i)
    {
        while (i < body.Length && !char.IsWhiteSpace(body[i]))
        {
            if (body[i] == '[')
            {
                var end = body.IndexOf(']', i);
                i = end < 0 ? body.Length : end;
            }
            else if (body[i] is '"' or '\'')
            {
                // key="quoted value"
                var end = body.IndexOf(body[i], i + 1);
                i = end < 0 ? body.Length - 1 : end;
            }
            else if (body[i] == '(')
            {
                // key=(sub expression)
                i = SubExpressionEnd(body, i) - 1;
            }

            i++;
        }

        return i;
    }
}
