using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Recovery.Journeys.Templating;

/// <summary>
/// Walks the mustache expressions of a Handlebars template and checks every field path against the model's CLR
/// types, so a misspelt <c>{{event.OrderNumbr}}</c> fails when the journey is built rather than when it sends.
/// </summary>
/// <remarks>
/// Handlebars.Net exposes no syntax tree, hence this small scanner. It follows the block helpers that change the
/// context (<c>#each</c>, <c>#with</c>) and stops checking below a type it cannot see into (<see cref="object"/>,
/// dictionaries other than <c>values</c>, JSON documents), where any field is accepted.
/// </remarks>
internal static class TemplateFieldChecker
{
    private static readonly HashSet<string> BuiltInHelpers = new(StringComparer.Ordinal)
    {
        "if", "unless", "each", "with", "lookup", "log", "else",
    };

    public static void Check(string source, TemplateModelShape shape, IReadOnlySet<string> helpers)
    {
        var problems = new List<string>();
        var frames = new List<Frame> { Frame.Root };
        var blocks = new Stack<(string Name, bool PushedFrame)>();

        foreach (var tag in Scan(source))
        {
            var body = tag.Body;
            switch (body.Length > 0 ? body[0] : '\0')
            {
                case '!':
                case '>':
                    continue;
                case '#' when body.StartsWith("#>", StringComparison.Ordinal) || body.StartsWith("#*", StringComparison.Ordinal):
                    blocks.Push((body[2..].Trim(), false));
                    continue;
                case '#':
                {
                    var parts = Tokenize(body[1..]);
                    if (parts.Count == 0)
                    {
                        continue;
                    }

                    var helper = parts[0];
                    if (!helpers.Contains(helper) && !BuiltInHelpers.Contains(helper))
                    {
                        problems.Add($"'{{{{{tag.Body}}}}}' (line {tag.Line}) opens '{helper}', which is not a registered block helper");
                    }

                    CheckArguments(parts.Skip(1), tag, frames, shape, helpers, problems);
                    var pushed = false;
                    if ((helper == "each" || helper == "with") && parts.Count > 1)
                    {
                        var type = Resolve(parts[1], frames, shape, out _);
                        var itemType = helper == "each" ? ElementType(type) : type;
                        frames.Add(new Frame(itemType, IsRoot: false, BlockParams(parts[^1], itemType)));
                        pushed = true;
                    }

                    blocks.Push((helper, pushed));
                    continue;
                }

                case '/':
                    if (blocks.Count > 0)
                    {
                        var (_, pushed) = blocks.Pop();
                        if (pushed)
                        {
                            frames.RemoveAt(frames.Count - 1);
                        }
                    }

                    continue;
                case '^':
                    continue;
            }

            var tokens = Tokenize(body.TrimStart('&'));
            if (tokens.Count == 0)
            {
                continue;
            }

            if (tokens[0] == "else")
            {
                // The inverse of #each/#with renders in the enclosing context.
                if (blocks.Count > 0 && blocks.Peek().PushedFrame)
                {
                    var (name, _) = blocks.Pop();
                    frames.RemoveAt(frames.Count - 1);
                    blocks.Push((name, false));
                }

                CheckArguments(tokens.Skip(2), tag, frames, shape, helpers, problems);
                continue;
            }

            var isHelperCall = tokens.Count > 1 || helpers.Contains(tokens[0]) || BuiltInHelpers.Contains(tokens[0]);
            CheckArguments(isHelperCall ? tokens.Skip(1) : tokens, tag, frames, shape, helpers, problems);
            if (isHelperCall && !helpers.Contains(tokens[0]) && !BuiltInHelpers.Contains(tokens[0]))
            {
                problems.Add($"'{{{{{tag.Body}}}}}' (line {tag.Line}) calls '{tokens[0]}', which is not a registered helper");
            }
        }

        if (problems.Count > 0)
        {
            throw new TemplateException(string.Join("; ", problems));
        }
    }

    private static void CheckArguments(
        IEnumerable<string> arguments,
        Tag tag,
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
                var inner = Tokenize(argument[1..^1]);
                if (inner.Count > 0 && !helpers.Contains(inner[0]) && !BuiltInHelpers.Contains(inner[0]))
                {
                    problems.Add($"'{{{{{tag.Body}}}}}' (line {tag.Line}) calls '{inner[0]}', which is not a registered helper");
                }

                CheckArguments(inner.Skip(1), tag, frames, shape, helpers, problems);
                continue;
            }

            if (IsLiteral(argument) || (argument.StartsWith("as |", StringComparison.Ordinal)))
            {
                continue;
            }

            Resolve(argument, frames, shape, out var problem);
            if (problem is not null)
            {
                problems.Add($"'{{{{{tag.Body}}}}}' (line {tag.Line}): {problem}");
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
        var segments = SplitPath(path);
        if (depth == frames.Count - 1 && segments.Count > 0)
        {
            // `{{#each items as |item i|}}` names the item; the name wins over a field of the same name.
            for (var i = frames.Count - 1; i > 0; i--)
            {
                if (frames[i].Params is { } named && named.TryGetValue(segments[0], out var namedType))
                {
                    segments.RemoveAt(0);
                    return segments.Count == 0 ? namedType : ResolveMembers(namedType, segments, 0, out problem);
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

                    return ResolveMembers(contentType, segments, 2, out problem);
            }

            start = 1;
        }
        else
        {
            type = frame.Type;
        }

        return ResolveMembers(type, segments, start, out problem);
    }

    private static Type? ResolveMembers(Type? type, List<string> segments, int start, out string? problem)
    {
        problem = null;
        for (var i = start; i < segments.Count && type is not null; i++)
        {
            if (IsOpaque(type))
            {
                return null;
            }

            var member = FindMember(type, segments[i]);
            if (member is null)
            {
                if (segments[i] is "length" or "count" && ElementType(type) is not null)
                {
                    return typeof(int);
                }

                problem = $"{Describe(type)} has no field '{segments[i]}'";
                return null;
            }

            type = member;
        }

        return type;
    }

    private static Dictionary<string, Type?>? BlockParams(string lastPart, Type? itemType)
    {
        if (!lastPart.StartsWith("as |", StringComparison.Ordinal))
        {
            return null;
        }

        var names = lastPart[4..].TrimEnd('|').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var named = new Dictionary<string, Type?>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            // The second name is the index or key, whose type does not matter here.
            named[names[i]] = i == 0 ? itemType : null;
        }

        return named;
    }

    private static Type? FindMember(Type type, string name)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        const BindingFlags Flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase;
        return type.GetProperty(name, Flags)?.PropertyType ?? type.GetField(name, Flags)?.FieldType;
    }

    private static bool IsOpaque(Type type) =>
        type == typeof(object)
        || type == typeof(JsonElement)
        || type == typeof(JsonDocument)
        || typeof(IDictionary).IsAssignableFrom(type)
        || type.GetInterfaces().Append(type).Any(i => i.IsGenericType
            && (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)))
        || type.IsInterface && !typeof(IEnumerable).IsAssignableFrom(type);

    private static Type? ElementType(Type? type)
    {
        if (type is null || type == typeof(string))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var enumerable = type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        var element = enumerable?.GetGenericArguments()[0];
        return element is { IsGenericType: true } && element.GetGenericTypeDefinition() == typeof(KeyValuePair<,>)
            ? element.GetGenericArguments()[1]
            : element;
    }

    private static string Describe(Type type) => (Nullable.GetUnderlyingType(type) ?? type).Name;

    private static List<string> SplitPath(string path)
    {
        var segments = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '[')
            {
                var end = path.IndexOf(']', i + 1);
                end = end < 0 ? path.Length : end;
                current.Append(path, i + 1, end - i - 1);
                i = end;
            }
            else if (c is '.' or '/')
            {
                segments.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            segments.Add(current.ToString());
        }

        return segments;
    }

    /// <summary>Splits an expression body into words, keeping quoted strings, sub-expressions and block params whole.</summary>
    private static List<string> Tokenize(string body)
    {
        var tokens = new List<string>();
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
                var quote = body[i];
                i = body.IndexOf(quote, i + 1);
                i = i < 0 ? body.Length : i + 1;
            }
            else if (body[i] == '(')
            {
                var depth = 0;
                for (; i < body.Length; i++)
                {
                    depth += body[i] == '(' ? 1 : body[i] == ')' ? -1 : 0;
                    if (depth == 0)
                    {
                        i++;
                        break;
                    }
                }
            }
            else if (body.AsSpan(i).StartsWith("as |"))
            {
                i = body.Length;
            }
            else
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

                    i++;
                }
            }

            tokens.Add(body[start..Math.Min(i, body.Length)]);
        }

        return tokens;
    }

    private static IEnumerable<Tag> Scan(string source)
    {
        var i = 0;
        while (true)
        {
            var open = source.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0)
            {
                yield break;
            }

            if (open > 0 && source[open - 1] == '\\')
            {
                i = open + 2;
                continue;
            }

            string close;
            var bodyStart = open + 2;
            if (source.AsSpan(bodyStart).StartsWith("{"))
            {
                close = "}}}";
                bodyStart++;
            }
            else if (source.AsSpan(bodyStart).StartsWith("!--") || source.AsSpan(bodyStart).StartsWith("~!--"))
            {
                close = "--}}";
            }
            else
            {
                close = "}}";
            }

            var end = source.IndexOf(close, bodyStart, StringComparison.Ordinal);
            if (end < 0)
            {
                // Handlebars itself reports the unclosed expression.
                yield break;
            }

            var body = source[bodyStart..end].Trim().Trim('~').Trim();
            var line = 1 + source.AsSpan(0, open).Count('\n');
            yield return new Tag(body, line);
            i = end + close.Length;
        }
    }

    private readonly record struct Tag(string Body, int Line);

    private sealed record Frame(Type? Type, bool IsRoot, IReadOnlyDictionary<string, Type?>? Params = null)
    {
        public static Frame Root { get; } = new(typeof(TemplateModel), IsRoot: true);
    }
}
