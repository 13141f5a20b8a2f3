using System.Globalization;
using HandlebarsDotNet;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Templating;

/// <summary>
/// The default template engine: Handlebars (<c>{{customer.name}}</c>, <c>{{#each event.Items}}</c>) through Handlebars.Net.
/// </summary>
/// <remarks>
/// Templates are compiled to delegates once, when a journey is built, and checked then: syntax, helpers, and every
/// field path against the event's type. Plain-text templates write values as they are; HTML templates escape them.
/// Values written as they are (<c>{{event.Total}}</c>) use the invariant culture; the built-in helpers
/// (<c>money</c>, <c>number</c>, <c>percent</c>, <c>discounted</c>, <c>date</c>, <c>time</c>, <c>dateTime</c>,
/// <c>timeLeft</c>, <c>trackedLink</c>, <c>unsubscribeUrl</c>) use the customer's culture and time zone. Thread-safe.
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
        if (options.Helpers.Keys.Concat(options.BlockHelpers.Keys).FirstOrDefault(BuiltInHelpers.All.ContainsKey) is { } clash)
        {
            throw new ArgumentException($"'{clash}' is a built-in helper; give your helper another name.", nameof(options));
        }

        _text = Create(options, noEscape: true);
        _html = Create(options, noEscape: false);
        _helperNames = [.. options.Helpers.Keys, .. options.BlockHelpers.Keys, .. BuiltInHelpers.All.Keys];
    }

    /// <summary>The shared engine with the built-in helpers, used by <c>JourneyBuilder.Build()</c>.</summary>
    public static HandlebarsTemplateEngine Default { get; } = new();

    /// <summary>
    /// The model of the message being rendered on this thread, for custom helpers that write in the customer's
    /// culture or time zone (<see cref="TemplateModel.Culture"/>, <see cref="TemplateModel.TimeZone"/>) or need the
    /// channel, as the built-in helpers do.
    /// </summary>
    /// <exception cref="InvalidOperationException">Read outside a render (from anything but a helper).</exception>
    public static TemplateModel CurrentModel => RenderScope.Current;

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
        var template = new CompiledTemplate(compiled);
        return SubstitutionTemplate.TryCreate(source, shape, format == TemplateFormat.Html ? _html.Configuration.TextEncoder : null, template) ?? template;
    }

    private static IHandlebars Create(HandlebarsTemplateOptions options, bool noEscape)
    {
        var handlebars = Handlebars.Create(new HandlebarsConfiguration
        {
            NoEscape = noEscape,
            FormatProvider = CultureInfo.InvariantCulture,
        });
        foreach (var (name, helper) in options.Helpers.Concat(BuiltInHelpers.All))
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
        public string Render(TemplateModel model) => RenderScope.Render(model, template, static (t, m) => t(m));
    }
}
