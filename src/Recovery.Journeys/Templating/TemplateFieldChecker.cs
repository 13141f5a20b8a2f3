namespace Recovery.Journeys.Templating;

/// <summary>
/// Checks a template's tags (<see cref="TemplateScanner"/>) when the journey is built: every field path against the
/// model's CLR types, so a misspelt <c>{{event.OrderNumbr}}</c> fails then rather than when it sends; every helper
/// and partial called; raw HTML (<c>{{{...}}}</c>) in HTML templates; and the URL attributes the render must check.
/// </summary>
/// <remarks>
/// It follows the block helpers that change the context (<c>#each</c>, <c>#with</c>) and stops checking below a type
/// it cannot see into (<see cref="object"/>, dictionaries other than <c>values</c>, JSON documents), where any field
/// is accepted. Every problem is reported at once.
/// </remarks>
internal static class TemplateFieldChecker
{
    private static readonly HashSet<string> BuiltInHelpers = new(StringComparer.Ordinal)
    {
        "if", "unless", "each", "with", "lookup", "log", "else",
    };

    /// <summary>Throws a <see cref="TemplateException"/> listing every problem of the template.</summary>
    /// <param name="tokens">The template, scanned.</param>
    /// <param name="urlAttributes">Its URL attributes whose value the render checks (HTML templates).</param>
    /// <param name="shape">The model's shape.</param>
    /// <param name="helpers">The helpers registered with the engine, built-in or custom.</param>
    /// <param name="refuseRawHtml">Whether <c>{{{...}}}</c> is refused: in an HTML template that does not allow raw HTML.</param>
    public static void Check(
        IReadOnlyList<TemplateToken> tokens,
        IReadOnlyList<UrlAttribute> urlAttributes,
        TemplateModelShape shape,
        IReadOnlySet<string> helpers,
        bool refuseRawHtml)
    {
        var problems = new List<string>();
        var frames = new List<Frame> { Frame.Root };
        var blocks = new Stack<bool>();
        var inlinePartials = tokens.Where(t => t.Kind == TemplateTokenKind.InlinePartial)
            .Select(t => Unquote(t.Expression.Arguments.FirstOrDefault() ?? string.Empty))
            .ToHashSet(StringComparer.Ordinal);

        foreach (var tag in tokens)
        {
            var expression = tag.Expression;
            switch (tag.Kind)
            {
                case TemplateTokenKind.Text or TemplateTokenKind.Comment:
                    continue;
                case TemplateTokenKind.RawBlock:
                    problems.Add($"'{tag.Display}' (line {tag.Line}) opens a raw block, which is not supported");
                    continue;
                case TemplateTokenKind.Decorator:
                    problems.Add($"'{tag.Display}' (line {tag.Line}) calls the decorator '{expression.Name}', which is not registered");
                    break;
                case TemplateTokenKind.InlinePartial:
                    // Its body renders in the context of each {{> name}}, unknown here: any field goes, @root is checked.
                    frames.Add(new Frame(null, IsRoot: false));
                    blocks.Push(true);
                    continue;
                case TemplateTokenKind.Partial or TemplateTokenKind.PartialBlock:
                    CheckPartial(tag, inlinePartials, problems);
                    CheckArguments(expression.Arguments, tag, frames, shape, helpers, problems);
                    break;
                case TemplateTokenKind.Block:
                    blocks.Push(OpenBlock(tag, frames, shape, helpers, problems));
                    continue;
                case TemplateTokenKind.Close:
                    if (blocks.Count > 0 && blocks.Pop())
                    {
                        frames.RemoveAt(frames.Count - 1);
                    }

                    continue;
                case TemplateTokenKind.Else:
                    // The inverse of #each/#with renders in the enclosing context.
                    if (blocks.Count > 0 && blocks.Peek())
                    {
                        blocks.Pop();
                        frames.RemoveAt(frames.Count - 1);
                        blocks.Push(false);
                    }

                    if (expression.Words.Count > 0 && !IsHelper(expression.Name, helpers))
                    {
                        problems.Add($"'{tag.Display}' (line {tag.Line}) opens '{expression.Name}', which is not a registered block helper");
                    }

                    CheckArguments(expression.Arguments, tag, frames, shape, helpers, problems);
                    continue;
                case TemplateTokenKind.Value or TemplateTokenKind.RawValue:
                    if (tag.Kind == TemplateTokenKind.RawValue && refuseRawHtml)
                    {
                        problems.Add($"'{tag.Display}' (line {tag.Line}) writes the value as raw HTML, unescaped, which an HTML template refuses "
                            + $"unless it allows raw HTML (AllowRawHtml() on the e-mail); write '{{{{{string.Join(' ', expression.Words)}}}}}' to escape it");
                    }

                    CheckValue(tag, frames, shape, helpers, problems);
                    continue;
            }

            if (tag.OpensBlock)
            {
                blocks.Push(false);
            }
        }

        foreach (var attribute in urlAttributes.Where(a => !a.Balanced))
        {
            problems.Add($"the {attribute.Name} attribute (line {attribute.Line}) opens or closes a block that does not end within its value, "
                + "so its URL cannot be checked: keep each block inside the quotes, or around the whole HTML tag");
        }

        if (problems.Count > 0)
        {
            throw new TemplateException(string.Join("; ", problems));
        }
    }

    /// <summary>Checks a block's opening tag; returns whether it pushed a context (<c>#each</c>, <c>#with</c>).</summary>
    private static bool OpenBlock(TemplateToken tag, List<Frame> frames, TemplateModelShape shape, IReadOnlySet<string> helpers, List<string> problems)
    {
        var expression = tag.Expression;
        if (expression.Words.Count == 0)
        {
            return false;
        }

        var helper = expression.Name;
        var inverted = tag.IsInverted;
        if (inverted && !IsHelper(helper, helpers))
        {
            // {{^customer.phone}}...{{/customer.phone}}: an inverted section over a field.
            CheckArguments(expression.Words, tag, frames, shape, helpers, problems);
            return false;
        }

        if (!IsHelper(helper, helpers))
        {
            problems.Add($"'{tag.Display}' (line {tag.Line}) opens '{helper}', which is not a registered block helper");
        }

        CheckArguments(expression.Arguments, tag, frames, shape, helpers, problems);
        if (inverted || (helper != "each" && helper != "with") || expression.Words.Count < 2)
        {
            return false;
        }

        var type = Resolve(expression.Words[1], frames, shape, out _);
        var itemType = helper == "each" ? TemplateModelTypes.ElementType(type) : type;
        frames.Add(new Frame(itemType, IsRoot: false, BlockParams(expression.BlockParams, itemType)));
        return true;
    }

    private static void CheckValue(TemplateToken tag, List<Frame> frames, TemplateModelShape shape, IReadOnlySet<string> helpers, List<string> problems)
    {
        var words = tag.Expression.Words;
        if (words.Count == 0)
        {
            return;
        }

        var isHelperCall = words.Count > 1 || IsHelper(words[0], helpers);
        CheckArguments(isHelperCall ? words.Skip(1) : words, tag, frames, shape, helpers, problems);
        if (isHelperCall && !IsHelper(words[0], helpers))
        {
            problems.Add($"'{tag.Display}' (line {tag.Line}) calls '{words[0]}', which is not a registered helper");
        }
    }

    /// <summary>The engine registers no partials, so a partial must be one the template defines (<c>{{#*inline}}</c>).</summary>
    private static void CheckPartial(TemplateToken tag, HashSet<string> inlinePartials, List<string> problems)
    {
        var name = tag.Expression.Name;
        if (name.StartsWith('('))
        {
            problems.Add($"'{tag.Display}' (line {tag.Line}) includes a partial whose name is only known when rendering, which Build() cannot check: name the partial");
        }
        else if (!name.StartsWith('@') && !inlinePartials.Contains(Unquote(name)))
        {
            problems.Add($"'{tag.Display}' (line {tag.Line}) includes the partial '{Unquote(name)}', which is not defined: the engine registers no partials, "
                + $"so define it in the template with {{{{#*inline \"{Unquote(name)}\"}}}}...{{{{/inline}}}}");
        }
    }

    private static bool IsHelper(string name, IReadOnlySet<string> helpers) => helpers.Contains(name) || BuiltInHelpers.Contains(name);

    private static string Unquote(string word) =>
        word.Length >= 2 && word[0] is '"' or '\'' && word[^1] == word[0] ? word[1..^1] : word;

    private static void CheckArguments(
        IEnumerable<string> arguments,
        TemplateToken tag,
        List<Frame> frames,
        TemplateModelShape shape,
        IReadOnlySet<string> helpers,
        List<string> problems)
    {
        foreach (var raw in arguments)
        {
            var argument = raw;
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && !argument.StartsWith('"') && !argument.StartsWith('\''))
            {
                argument = argument[(equals + 1)..];
            }

            if (argument.StartsWith('(') && argument.EndsWith(')'))
            {
                var inner = TemplateExpression.Parse(argument[1..^1]);
                if (inner.Words.Count > 0 && !IsHelper(inner.Name, helpers))
                {
                    problems.Add($"'{tag.Display}' (line {tag.Line}) calls '{inner.Name}', which is not a registered helper");
                }

                CheckArguments(inner.Arguments, tag, frames, shape, helpers, problems);
                continue;
            }

            if (IsLiteral(argument))
            {
                continue;
            }

            Resolve(argument, frames, shape, out var problem);
            if (problem is not null)
            {
                problems.Add($"'{tag.Display}' (line {tag.Line}): {problem}");
            }
        }
    }

    private static bool IsLiteral(string token) =>
        token.Length == 0
        || token[0] is '"' or '\'' or '-' or (>= '0' and <= '9')
        || token is "true" or "false" or "null" or "undefined"
        || (token.StartsWith('@') && !token.StartsWith("@root", StringComparison.Ordinal));

    /// <summary>Returns the type a path leads to: <see langword="null"/> when it cannot be known (then anything goes).</summary>
    private static Type? Resolve(string path, List<Frame> frames, TemplateModelShape shape, out string? problem)
    {
        problem = null;
        var depth = frames.Count - 1;
        if (path.StartsWith("@root", StringComparison.Ordinal))
        {
            depth = 0;
            path = path.Length > 5 ? path[6..] : string.Empty;
        }

        while (path.StartsWith("../", StringComparison.Ordinal))
        {
            depth = Math.Max(0, depth - 1);
            path = path[3..];
        }

        if (path.StartsWith("this", StringComparison.Ordinal) && (path.Length == 4 || path[4] is '.' or '/'))
        {
            path = path.Length == 4 ? string.Empty : path[5..];
        }
        else if (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }
        else if (path == ".")
        {
            path = string.Empty;
        }

        var frame = frames[depth];
        var segments = TemplateModelTypes.SplitPath(path);
        if (depth == frames.Count - 1 && segments.Count > 0)
        {
            // `{{#each items as |item i|}}` names the item; the name wins over a field of the same name.
            for (var i = frames.Count - 1; i > 0; i--)
            {
                if (frames[i].Params is { } named && named.TryGetValue(segments[0], out var namedType))
                {
                    segments.RemoveAt(0);
                    return segments.Count == 0 ? namedType : TemplateModelTypes.ResolveMembers(namedType, segments, 0, out problem);
                }
            }
        }

        if (segments.Count == 0)
        {
            return frame.IsRoot ? typeof(TemplateModel) : frame.Type;
        }

        Type? type;
        var start = 0;
        if (frame.IsRoot)
        {
            if (!TemplateModelShape.RootFields.TryGetValue(segments[0], out type))
            {
                problem = $"the model has no field '{segments[0]}' (it has event, customer, journey, now, values, content, coupon, channel and unsubscribeUrl)";
                return null;
            }

            switch (segments[0].ToLowerInvariant())
            {
                case "event":
                    type = shape.EventType;
                    break;
                case "values":
                    if (segments.Count > 1 && !shape.ValueNames.Contains(segments[1]))
                    {
                        problem = $"the journey computes no value '{segments[1]}'"
                            + (shape.ValueNames.Count == 0 ? " (it has none)" : $" (it has {string.Join(", ", shape.ValueNames)})");
                        return null;
                    }

                    // A computed value's type is only known when it runs.
                    return null;
                case "content":
                    if (segments.Count == 1)
                    {
                        return null;
                    }

                    if (!shape.Content.TryGetValue(segments[1], out var contentType))
                    {
                        problem = $"the journey fetches no content '{segments[1]}'"
                            + (shape.Content.Count == 0 ? " (it fetches none: declare it with Fetch)" : $" (it fetches {string.Join(", ", shape.Content.Keys)})");
                        return null;
                    }

                    return TemplateModelTypes.ResolveMembers(contentType, segments, 2, out problem);
            }

            start = 1;
        }
        else
        {
            type = frame.Type;
        }

        return TemplateModelTypes.ResolveMembers(type, segments, start, out problem);
    }

    private static Dictionary<string, Type?>? BlockParams(IReadOnlyList<string> names, Type? itemType)
    {
        if (names.Count == 0)
        {
            return null;
        }

        var named = new Dictionary<string, Type?>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            // The second name is the index or key, whose type does not matter here.
            named[names[i]] = i == 0 ? itemType : null;
        }

        return named;
    }

    private sealed record Frame(Type? Type, bool IsRoot, IReadOnlyDictionary<string, Type?>? Params = null)
    {
        public static Frame Root { get; } = new(typeof(TemplateModel), IsRoot: true);
    }
}
