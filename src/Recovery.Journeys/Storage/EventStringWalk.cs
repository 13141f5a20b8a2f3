#if NET9_0_OR_GREATER
// .NET 8's serializer contracts name no element and key types: there every event is written as JSON to be checked.
using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Recovery.Journeys.Storage;

/// <summary>
/// Finds a NUL character in the strings an event's JSON would hold without writing the JSON: walks the strings through
/// the serializer's own contract of the event's type (its properties as the serializer writes them), planned once per
/// contract. Only shapes whose JSON cannot fail and whose strings are exactly those walked are planned: objects with
/// the serializer's own converters, strings, numbers, dates, enums, lists and string dictionaries, no cycles. Any other
/// shape (custom converters, polymorphism, callbacks, recursive types, floating-point numbers) is left to the caller,
/// which writes the JSON and reads it, so that every store refuses the same events with the same error. Where code can
/// be compiled, a plan's walk is compiled once into one method of the event's type (its members read as the serializer's
/// own reflection reads them, in the same order); elsewhere its nodes are walked.
/// </summary>
internal static class EventStringWalk
{
    private const int MaxDepth = 32;

    private static readonly ConditionalWeakTable<JsonTypeInfo, Plan> Plans = [];

    // The plan of each event type, per options: found again without asking the options for the type's contract,
    // which validates the type at every call (a tenth of a publication's time in the profile).
    private static readonly ConditionalWeakTable<JsonSerializerOptions, System.Collections.Concurrent.ConcurrentDictionary<Type, Plan>> PlansByType = [];

    // The plan found last, with its options and type: most publications of a thread are of the type before, found
    // again by two reference comparisons instead of the two tables' lookups.
    private static LastPlan? s_last;

    private static readonly System.Reflection.Assembly NodaConverters = typeof(NodaTime.Serialization.SystemTextJson.NodaConverters).Assembly;

    private static readonly HashSet<Type> Leaves =
    [
        typeof(bool), typeof(byte), typeof(sbyte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long),
        typeof(ulong), typeof(decimal), typeof(Guid), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan),
        typeof(DateOnly), typeof(TimeOnly),
    ];

    /// <summary>
    /// Walks <paramref name="value"/>'s strings when its contract allows: <see langword="true"/> and whether one holds a
    /// NUL; <see langword="false"/> when the JSON has to be written to know.
    /// </summary>
    public static bool TryFindNul(object value, JsonSerializerOptions options, out bool found)
    {
        found = false;
        if (options.ReferenceHandler is not null)
        {
            return false;
        }

        var type = value.GetType();
        Plan plan;
        if (s_last is { } last && ReferenceEquals(last.Options, options) && last.Type == type)
        {
            plan = last.Plan;
        }
        else
        {
            var byType = PlansByType.GetValue(options, static _ => new());
            if (!byType.TryGetValue(type, out plan!))
            {
                if (!options.TryGetTypeInfo(type, out var contract))
                {
                    return false;
                }

                plan = byType.GetOrAdd(type, Plans.GetValue(contract, static c => Plan.For(c, c.Options)));
            }

            s_last = new LastPlan(options, type, plan);
        }

        if (!plan.Walkable)
        {
            return false;
        }

        found = plan.Compiled is { } compiled ? compiled(value) : plan.Root?.HasNul(value) ?? false;
        return true;
    }

    private sealed record LastPlan(JsonSerializerOptions Options, Type Type, Plan Plan);

    private sealed class Plan(bool walkable, Node? root)
    {
        public bool Walkable { get; } = walkable;

        public Node? Root { get; } = root;

        /// <summary>The walk of <see cref="Root"/> compiled, or <see langword="null"/> where it is walked node by node.</summary>
        public Func<object, bool>? Compiled { get; } = Compile(root);

        public static Plan For(JsonTypeInfo contract, JsonSerializerOptions options)
        {
            try
            {
                return TryBuild(contract, options, [], 0, out var root) ? new Plan(true, root) : new Plan(false, null);
            }
            catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
            {
                // A contract the serializer refuses: writing the JSON gives the error.
                return new Plan(false, null);
            }
        }

        private static Func<object, bool>? Compile(Node? root)
        {
            if (root is null || !RuntimeFeature.IsDynamicCodeCompiled)
            {
                return null;
            }

            try
            {
                var value = Expression.Parameter(typeof(object), "value");
                return Expression.Lambda<Func<object, bool>>(root.Emit(value), value).Compile();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
            {
                // A shape the expressions refuse: its nodes are walked.
                return null;
            }
        }

        /// <summary>
        /// The member a property's getter reads, where the getter is known to be the member's own: the options'
        /// resolver is the serializer's reflection resolver without modifiers (a modifier may replace a getter).
        /// </summary>
        private static MemberInfo? MemberOf(JsonPropertyInfo property, Type type, JsonSerializerOptions options) =>
            options.TypeInfoResolver is DefaultJsonTypeInfoResolver { Modifiers.Count: 0 } resolver && resolver.GetType() == typeof(DefaultJsonTypeInfoResolver)
            && property.AttributeProvider switch
            {
                PropertyInfo p => p.GetMethod is not null && p.GetIndexParameters().Length == 0 && p.PropertyType == property.PropertyType,
                FieldInfo f => f.FieldType == property.PropertyType,
                _ => false,
            }
            && ((MemberInfo)property.AttributeProvider!).DeclaringType is { } declaring && declaring.IsAssignableFrom(type)
                ? (MemberInfo)property.AttributeProvider!
                : null;

        /// <summary>Plans a contract's walk; <paramref name="node"/> is <see langword="null"/> when it holds no string.</summary>
        private static bool TryBuild(JsonTypeInfo contract, JsonSerializerOptions options, HashSet<Type> path, int depth, out Node? node)
        {
            node = null;
            var type = contract.Type;
            var converters = contract.Converter.GetType().Assembly;
            if (depth > MaxDepth || (converters != typeof(JsonSerializer).Assembly && converters != NodaConverters))
            {
                return false;
            }

            if (type == typeof(string))
            {
                node = StringNode.Instance;
                return true;
            }

            var plain = Nullable.GetUnderlyingType(type) ?? type;
            if (Leaves.Contains(plain) || plain.IsEnum)
            {
                return true;
            }

            if (plain.IsValueType && plain.Assembly == typeof(NodaTime.Instant).Assembly && contract.Converter.GetType().Assembly == NodaConverters)
            {
                // NodaTime's values (Instant, LocalDate, Duration, ...) written by its own converters, as ISO text.
                return true;
            }

            switch (contract.Kind)
            {
                case JsonTypeInfoKind.Object:
                    return TryBuildObject(contract, options, path, depth, out node);
                case JsonTypeInfoKind.Enumerable when contract.ElementType is { } elementType && typeof(IEnumerable).IsAssignableFrom(type):
                    if (!TryBuild(options.GetTypeInfo(elementType), options, path, depth + 1, out var element))
                    {
                        return false;
                    }

                    node = element is null ? null : new EnumerableNode(element);
                    return true;
                case JsonTypeInfoKind.Dictionary
                    when contract.KeyType == typeof(string) && contract.ElementType == typeof(string) && options.DictionaryKeyPolicy is null
                    && typeof(IEnumerable<KeyValuePair<string, string>>).IsAssignableFrom(type)
                    && TryBuild(options.GetTypeInfo(typeof(string)), options, path, depth + 1, out _):
                    node = StringDictionaryNode.Instance;
                    return true;
                default:
                    return false;
            }
        }

        private static bool TryBuildObject(JsonTypeInfo contract, JsonSerializerOptions options, HashSet<Type> path, int depth, out Node? node)
        {
            node = null;
            var type = contract.Type;
            if (type == typeof(object) || contract.PolymorphismOptions is not null || contract.OnSerializing is not null
                || contract.OnSerialized is not null || !path.Add(type))
            {
                return false;
            }

            var members = new List<(Func<object, object?> Get, MemberInfo? Member, Node Node)>();
            foreach (var property in contract.Properties)
            {
                if (property.Get is not { } get)
                {
                    continue;
                }

                if (property.CustomConverter is not null || property.IsExtensionData || property.ShouldSerialize is not null
                    || property.Name.Contains('\0', StringComparison.Ordinal)
                    || !TryBuild(options.GetTypeInfo(property.PropertyType), options, path, depth + 1, out var member))
                {
                    return false;
                }

                if (member is not null)
                {
                    members.Add((get, MemberOf(property, type, options), member));
                }
            }

            path.Remove(type);
            node = members.Count == 0 ? null : new ObjectNode(type, [.. members]);
            return true;
        }
    }

    private abstract class Node
    {
        private static readonly MethodInfo HasNulMethod = typeof(Node).GetMethod(nameof(HasNul))!;

        /// <summary>Whether a string of <paramref name="value"/> (not null) holds a NUL.</summary>
        public abstract bool HasNul(object value);

        /// <summary><see cref="HasNul"/> as an expression of <paramref name="value"/> (not null); by default a call of it.</summary>
        public virtual Expression Emit(Expression value) =>
            Expression.Call(Expression.Constant(this, typeof(Node)), HasNulMethod, Expression.Convert(value, typeof(object)));
    }

    private sealed class StringNode : Node
    {
        public static readonly StringNode Instance = new();

        private static readonly MethodInfo Contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(char), typeof(StringComparison)])!;

        public override bool HasNul(object value) => ((string)value).Contains('\0', StringComparison.Ordinal);

        public override Expression Emit(Expression value) =>
            Expression.Call(
                value.Type == typeof(string) ? value : Expression.Convert(value, typeof(string)),
                Contains,
                Expression.Constant('\0'),
                Expression.Constant(StringComparison.Ordinal));
    }

    private sealed class ObjectNode(Type type, (Func<object, object?> Get, MemberInfo? Member, Node Node)[] members) : Node
    {
        public override bool HasNul(object value)
        {
            foreach (var (get, _, node) in members)
            {
                if (get(value) is { } member && node.HasNul(member))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Each member read once, as its property or field where the serializer's getter is the member's own (else by
        /// that getter), and tested when not null, in order, until one holds a NUL.
        /// </summary>
        public override Expression Emit(Expression value)
        {
            var typed = Expression.Variable(type, "typed");
            Expression test = Expression.Constant(false);
            for (var i = members.Length - 1; i >= 0; i--)
            {
                var (get, info, node) = members[i];
                Expression read = info switch
                {
                    PropertyInfo property => Expression.Property(typed, property),
                    FieldInfo field => Expression.Field(typed, field),
                    _ => Expression.Invoke(Expression.Constant(get), Expression.Convert(typed, typeof(object))),
                };
                if (Nullable.GetUnderlyingType(read.Type) is not null)
                {
                    read = Expression.Convert(read, typeof(object));
                }

                var member = Expression.Variable(read.Type, "member");
                Expression one = read.Type.IsValueType
                    ? node.Emit(member)
                    : Expression.AndAlso(Expression.ReferenceNotEqual(member, Expression.Constant(null, read.Type)), node.Emit(member));
                test = Expression.OrElse(Expression.Block(typeof(bool), [member], Expression.Assign(member, read), one), test);
            }

            return Expression.Block(
                typeof(bool),
                [typed],
                Expression.Assign(typed, value.Type == type ? value : Expression.Convert(value, type)),
                test);
        }
    }

    private sealed class EnumerableNode(Node element) : Node
    {
        private static readonly MethodInfo AnyMethod = typeof(EnumerableNode).GetMethod(nameof(Any), BindingFlags.NonPublic | BindingFlags.Static)!;

        private readonly Func<object, bool> _walk = element.HasNul;

        public override bool HasNul(object value) => Any(value, _walk);

        /// <summary>The loop below with the element's walk compiled.</summary>
        public override Expression Emit(Expression value)
        {
            var item = Expression.Parameter(typeof(object), "item");
            var walk = Expression.Lambda<Func<object, bool>>(element.Emit(item), item).Compile();
            return Expression.Call(AnyMethod, Expression.Convert(value, typeof(object)), Expression.Constant(walk));
        }

        private static bool Any(object value, Func<object, bool> walk)
        {
            // An array of references (the usual list of an event) is read by index: its enumerator is an object, one
            // per publication. Arrays are covariant, so any array of a reference type is an object?[].
            if (value is object?[] array)
            {
                for (var i = 0; i < array.Length; i++)
                {
                    if (array[i] is { } item && walk(item))
                    {
                        return true;
                    }
                }

                return false;
            }

            foreach (var item in (IEnumerable)value)
            {
                if (item is not null && walk(item))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed class StringDictionaryNode : Node
    {
        public static readonly StringDictionaryNode Instance = new();

        public override bool HasNul(object value)
        {
            foreach (var (key, item) in (IEnumerable<KeyValuePair<string, string>>)value)
            {
                if (key.Contains('\0', StringComparison.Ordinal) || (item is not null && item.Contains('\0', StringComparison.Ordinal)))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
#endif
