using HandlebarsDotNet;

namespace Recovery.Journeys.Templating;

/// <summary>Helpers for <see cref="HandlebarsTemplateEngine"/>, keyed by the name templates call them by.</summary>
public sealed class HandlebarsTemplateOptions
{
    /// <summary>Helpers that return a value (<c>{{money event.Total}}</c>). Empty by default.</summary>
    public IDictionary<string, HandlebarsReturnHelper> Helpers { get; } = new Dictionary<string, HandlebarsReturnHelper>(StringComparer.Ordinal);

    /// <summary>Block helpers (<c>{{#ifLowStock}}...{{/ifLowStock}}</c>). Empty by default.</summary>
    public IDictionary<string, HandlebarsBlockHelper> BlockHelpers { get; } = new Dictionary<string, HandlebarsBlockHelper>(StringComparer.Ordinal);
}
