namespace Recovery.Journeys.Templating;

/// <summary>
/// The syntax check that spares <c>Build()</c> Handlebars' compile: it recognises the plain templates, those made only
/// of literal text, field paths (<c>{{event.OrderId}}</c>, <c>{{ Name }}</c>) and <c>{{#each path}}...{{/each}}</c>
/// blocks, nested or not, which are valid Handlebars by construction. Any other template, valid or not, is compiled by
/// Handlebars when the journey is built, so its syntax errors are Handlebars' own, as they always were.
/// </summary>
/// <remarks>
/// Stricter than the scanner, which reads templates Handlebars has accepted: every tag must be closed by its own
/// <c>}}</c>, every block closed by a <c>{{/each}}</c> in order, and no text may hold <c>}}</c>, an escaped tag
/// (<c>\{{</c>), a backslash before a tag or a brace just after one (<c>{{name}}}</c>, which Handlebars refuses).
/// What it refuses costs a compile, never a wrong answer.
/// </remarks>
internal static class TemplateSyntax
{
    /// <summary>Whether the template is plain, so valid Handlebars without compiling it.</summary>
    /// <param name="source">The template text.</param>
    /// <param name="tokens">The template, scanned.</param>
    public static bool IsPlain(string source, IReadOnlyList<TemplateToken> tokens)
    {
        var open = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var text = source.AsSpan(token.Start, token.End - token.Start);
            if (token.Kind == TemplateTokenKind.Text)
            {
                if (token.HasEscapedTag || text.Contains("}}", StringComparison.Ordinal) || (i + 1 < tokens.Count && text[^1] == '\\') || (i > 0 && text[0] == '}'))
                {
                    return false;
                }

                continue;
            }

            if (!text.StartsWith("{{") || !text.EndsWith("}}") || text.Length < 4)
            {
                return false;
            }

            var inner = text[2..^2].Trim(" \t");
            switch (token.Kind)
            {
                case TemplateTokenKind.Value when IsPath(inner):
                    continue;
                case TemplateTokenKind.Block when inner.StartsWith("#each") && inner.Length > 5 && inner[5] is ' ' or '\t' && IsPath(inner[6..].Trim(" \t")):
                    open++;
                    continue;
                case TemplateTokenKind.Close when open > 0 && inner is "/each":
                    open--;
                    continue;
                default:
                    return false;
            }
        }

        return open == 0;
    }

    /// <summary>A field path: identifiers joined by dots.</summary>
    private static bool IsPath(ReadOnlySpan<char> path)
    {
        while (true)
        {
            var dot = path.IndexOf('.');
            var segment = dot < 0 ? path : path[..dot];
            if (!IsIdentifier(segment))
            {
                return false;
            }

            if (dot < 0)
            {
                return true;
            }

            path = path[(dot + 1)..];
        }
    }

    private static bool IsIdentifier(ReadOnlySpan<char> segment)
    {
        if (segment.IsEmpty || !(char.IsAsciiLetter(segment[0]) || segment[0] == '_') || segment is "else" or "this")
        {
            return false;
        }

        foreach (var c in segment)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
