using System.Diagnostics.CodeAnalysis;
using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Recovery.Journeys.Templating;

/// <summary>
/// The CLR type a template's path reaches in the model, resolving names as Handlebars does (properties or fields,
/// without regard to case; a list's <c>length</c>), for <see cref="TemplateFieldChecker"/>: a path through an opaque
/// value (a dictionary, JSON, <see cref="object"/>) cannot be checked and is accepted.
/// </summary>
internal static class TemplateModelTypes
{
    internal static Type? ResolveMembers(Type? type, List<string> segments, int start, out string? problem)
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

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Event types are read by reflection by design: templates name their properties by string. A property a trimmed app removed is not found, so Build() refuses the template (docs/packaging.md); it never fails silently at send.")]
    internal static Type? FindMember(Type type, string name)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        const BindingFlags Flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase;
        return type.GetProperty(name, Flags)?.PropertyType ?? type.GetField(name, Flags)?.FieldType;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Event types are read by reflection by design: templates name their properties by string. A property a trimmed app removed is not found, so Build() refuses the template (docs/packaging.md); it never fails silently at send.")]
    internal static bool IsOpaque(Type type) =>
        type == typeof(object)
        || type == typeof(JsonElement)
        || type == typeof(JsonDocument)
        || typeof(IDictionary).IsAssignableFrom(type)
        || type.GetInterfaces().Append(type).Any(i => i.IsGenericType
            && (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)))
        || type.IsInterface && !typeof(IEnumerable).IsAssignableFrom(type);

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Event types are read by reflection by design: templates name their properties by string. A property a trimmed app removed is not found, so Build() refuses the template (docs/packaging.md); it never fails silently at send.")]
    internal static Type? ElementType(Type? type)
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

    internal static string Describe(Type type) => (Nullable.GetUnderlyingType(type) ?? type).Name;

    internal static List<string> SplitPath(string path)
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
}
