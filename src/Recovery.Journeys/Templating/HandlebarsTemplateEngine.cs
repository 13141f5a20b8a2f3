using System.Globalization;
using HandlebarsDotNet;

namespace Recovery.Journeys.Templating;

/// <summary>
/// The default template engine: Handlebars (<c>{{customer.name}}</c>, <c>{{#each event.Items}}</c>) through Handlebars.Net.
/// </summary>
/// <remarks>
/// Templates are compiled to delegates once, when a journey is built, and checked then: syntax, helpers, and every
/// field path against the event's type. Plain-text templates write values as they are; HTML templates escape them.
/// Numbers and dates are written with the invariant culture. Thread-safe.
/// </remarks>
public sealed class HandlebarsTemplateEngine : ITemplateEngine
{
    private readonly IHandlebars _text;
    private readonly IHandlebars _html;
    private readonly HashSet<string> _helperNames;

    /// <summary>Creates an engine with the built-in helpers only.</summary>
    public HandlebarsTemplateEngine()
        : this(new HandlebarsTemplateOptions())
    {
    }

    /// <summary>Creates an engine with the given helpers.</summary>
    /// <param name="options">The helpers to register.</param>
    public HandlebarsTemplateEngine(HandlebarsTemplateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _text = Create(options, noEscape: true);
        _html = Create(options, noEscape: false);
        _helperNames = [.. options.Helpers.Keys, .. options.BlockHelpers.Keys];
    }

    /// <summary>The shared engine with the built-in helpers, used by <c>JourneyBuilder.Build()</c>.</summary>
    public static HandlebarsTemplateEngine Default { get; } = new();

    /// <inheritdoc />
    public ICompiledTemplate Compile(string source, TemplateFormat format, TemplateModelShape shape)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(shape);
        HandlebarsTemplate<object, object> compiled;
        try
        {
            compiled = (format == TemplateFormat.Html ? _html : _text).Compile(source);
        }
        catch (HandlebarsException e)
        {
            throw new TemplateException($"syntax error: {e.Message}", e);
        }

        TemplateFieldChecker.Check(source, shape, _helperNames);
        return new CompiledTemplate(compiled);
    }

    private static IHandlebars Create(HandlebarsTemplateOptions options, bool noEscape)
    {
        var handlebars = Handlebars.Create(new HandlebarsConfiguration
        {
            NoEscape = noEscape,
            FormatProvider = CultureInfo.InvariantCulture,
        });
        foreach (var (name, helper) in options.Helpers)
        {
            handlebars.RegisterHelper(name, helper);
        }

        foreach (var (name, helper) in options.BlockHelpers)
        {
            handlebars.RegisterHelper(name, helper);
        }

        return handlebars;
    }

    private sealed class CompiledTemplate(HandlebarsTemplate<object, object> template) : ICompiledTemplate
    {
        public string Render(TemplateModel model) => template(model);
    }
}

/// <summary>Helpers for <see cref="HandlebarsTemplateEngine"/>, keyed by the name templates call them by.</summary>
public sealed class HandlebarsTemplateOptions
{
    /// <summary>Helpers that return a value (<c>{{money event.Total}}</c>). Empty by default.</summary>
    public IDictionary<string, HandlebarsReturnHelper> Helpers { get; } = new Dictionary<string, HandlebarsReturnHelper>(StringComparer.Ordinal);

    /// <summary>Block helpers (<c>{{#ifLowStock}}...{{/ifLowStock}}</c>). Empty by default.</summary>
    public IDictionary<string, HandlebarsBlockHelper> BlockHelpers { get; } = new Dictionary<string, HandlebarsBlockHelper>(StringComparer.Ordinal);
}
