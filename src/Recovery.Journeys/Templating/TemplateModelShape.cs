using Recovery.Journeys.Customers;

namespace Recovery.Journeys.Templating;

/// <summary>The fields a journey's templates can reference, checked once when the journey is built.</summary>
/// <param name="EventType">The trigger event's type, seen as <c>event</c>.</param>
/// <param name="ValueNames">The names of the journey's computed values, seen as <c>values.name</c>.</param>
public sealed record TemplateModelShape(Type EventType, IReadOnlyCollection<string> ValueNames)
{
    /// <summary>The content the journey fetches, by name, with the type each provider returns (<see cref="object"/> when unknown).</summary>
    public IReadOnlyDictionary<string, Type> Content { get; init; } = new Dictionary<string, Type>();

    /// <summary>The top-level fields of every model, each with the type a template walks into.</summary>
    public static IReadOnlyDictionary<string, Type> RootFields { get; } =
        new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
        {
            ["event"] = typeof(object),
            ["customer"] = typeof(Customer),
            ["journey"] = typeof(TemplateJourney),
            ["now"] = typeof(NodaTime.Instant),
            ["values"] = typeof(IReadOnlyDictionary<string, object?>),
            ["content"] = typeof(IReadOnlyDictionary<string, object?>),
            ["unsubscribeUrl"] = typeof(string),
            ["channel"] = typeof(string),
            ["coupon"] = typeof(TemplateCoupon),
        };
}
