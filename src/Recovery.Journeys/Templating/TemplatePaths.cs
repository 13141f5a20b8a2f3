using System.Diagnostics.CodeAnalysis;
using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Recovery.Journeys.Customers;

namespace Recovery.Journeys.Templating;

/// <summary>
/// Turns the field paths of a template (<c>event.Customer.Name</c>, <c>values.minutesLeft</c>) into compiled getters
/// for <see cref="SubstitutionTemplate"/>, or says that a path is not one its fast path reads. A getter returns
/// <see cref="SubstitutionTemplate.Missing"/> for a value that is not there, which hands the render to Handlebars.
/// </summary>
internal static class TemplatePaths
{
    private static readonly ConcurrentDictionary<PropertyInfo, Func<object, object?>> Getters = new();

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Event types are read by reflection by design: templates name their properties by string. A property a trimmed app removed is not found, so Build() refuses the template (docs/packaging.md); it never fails silently at send.")]
    [UnconditionalSuppressMessage("Trimming", "IL2065", Justification = "Event types are read by reflection by design: templates name their properties by string. A property a trimmed app removed is not found, so Build() refuses the template (docs/packaging.md); it never fails silently at send.")]
    internal static Type? ElementType(Type listType)
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

    /// <summary>
    /// Reads <c>root.member(.member)*</c> from the model, passed as <see cref="object"/> as a block passes its item;
    /// <see langword="null"/> when the path is not one the fast path reads. One delegate per path, as few calls as
    /// can be: every value of every send goes through it.
    /// </summary>
    internal static Func<object, object?>? RootAccessor(string path, TemplateModelShape shape, out Type? type)
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
            return model => ((TemplateModel)model).Values.TryGetValue(key, out var value) ? value : SubstitutionTemplate.Missing;
        }

        type = root switch
        {
            "event" => shape.EventType,
            "customer" => typeof(Customer),
            "journey" => typeof(TemplateJourney),
            _ => null,
        };
        if (type is null || Chain(segments.AsSpan(1), ref type) is not { } chain)
        {
            return null;
        }

        return root switch
        {
            "event" => model => ((TemplateModel)model).Event is { } owner ? chain(owner) : SubstitutionTemplate.Missing,
            "customer" => model => ((TemplateModel)model).Customer is { } owner ? chain(owner) : SubstitutionTemplate.Missing,
            _ => model => ((TemplateModel)model).Journey is { } owner ? chain(owner) : SubstitutionTemplate.Missing,
        };
    }

    /// <summary>
    /// Reads a chain of properties from an owner of <paramref name="type"/>, never <see langword="null"/>;
    /// <see langword="null"/> when a name does not resolve to one property.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Event types are read by reflection by design: templates name their properties by string. A property a trimmed app removed is not found, so Build() refuses the template (docs/packaging.md); it never fails silently at send.")]
    [UnconditionalSuppressMessage("Trimming", "IL2065", Justification = "Event types are read by reflection by design: templates name their properties by string. A property a trimmed app removed is not found, so Build() refuses the template (docs/packaging.md); it never fails silently at send.")]
    internal static Func<object, object?>? Chain(ReadOnlySpan<string> names, ref Type type)
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

        if (getters is [var only])
        {
            return only;
        }

        var chain = getters.ToArray();
        return owner =>
        {
            object? value = owner;
            foreach (var getter in chain)
            {
                if (value is null)
                {
                    return SubstitutionTemplate.Missing;
                }

                value = getter(value);
            }

            return value;
        };
    }

    /// <summary>A property's getter, compiled once per property for every template that reads it: compiling costs more than the rest of a template's Build().</summary>
    private static Func<object, object?> Getter(PropertyInfo property) => Getters.GetOrAdd(property, CompileGetter);

    private static Func<object, object?> CompileGetter(PropertyInfo property)
    {
        var owner = Expression.Parameter(typeof(object), "owner");
        var body = Expression.Convert(Expression.Property(Expression.Convert(owner, property.DeclaringType!), property), typeof(object));
        return Expression.Lambda<Func<object, object?>>(body, owner).Compile();
    }

    internal static bool IsIdentifier(string segment) =>
        segment.Length > 0 && (char.IsAsciiLetter(segment[0]) || segment[0] == '_') && segment.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && segment != "this" && segment != "else";
}
