using HandlebarsDotNet;

namespace Recovery.Journeys.Templating;

/// <summary>Helpers for <see cref="HandlebarsTemplateEngine"/>, keyed by the name templates call them by.</summary>
public sealed class HandlebarsTemplateOptions
{
    /// <summary>Helpers that return a value (<c>{{firstName customer.name}}</c>) from their arguments. Empty by default.</summary>
    public IDictionary<string, HandlebarsReturnHelper> Helpers { get; } = new Dictionary<string, HandlebarsReturnHelper>(StringComparer.Ordinal);

    /// <summary>
    /// Helpers that return a value from their arguments and the model being rendered (its <see cref="TemplateModel.Culture"/>,
    /// <see cref="TemplateModel.TimeZone"/>, <see cref="TemplateModel.Channel"/>...), as the built-in helpers do. Empty by default.
    /// </summary>
    public IDictionary<string, TemplateModelHelper> ModelHelpers { get; } = new Dictionary<string, TemplateModelHelper>(StringComparer.Ordinal);

    /// <summary>
    /// Block helpers (<c>{{#ifLowStock}}...{{/ifLowStock}}</c>). Empty by default. One that needs the model being
    /// rendered reads it with <see cref="HandlebarsTemplateEngine.ModelOf(in BlockHelperOptions)"/>.
    /// </summary>
    public IDictionary<string, HandlebarsBlockHelper> BlockHelpers { get; } = new Dictionary<string, HandlebarsBlockHelper>(StringComparer.Ordinal);
}
