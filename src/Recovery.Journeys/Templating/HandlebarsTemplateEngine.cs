using System.Globalization;
using HandlebarsDotNet;
using HandlebarsDotNet.PathStructure;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Templating;

/// <summary>
/// The default template engine: Handlebars (<c>{{customer.name}}</c>, <c>{{#each event.Items}}</c>) through Handlebars.Net.
/// </summary>
/// <remarks>
/// Templates are checked when a journey is built: syntax, helpers, partials, and every field path against the event's
/// type. They are compiled to delegates then, except the plain ones (text, field paths, <c>#each</c> blocks), which
/// Handlebars compiles only if a render needs it: most of them render on a fast path of their own. Plain-text templates write values as they are; HTML templates escape
/// them, refuse raw HTML (<c>{{{...}}}</c>) unless allowed, and replace a <c>javascript:</c>, <c>vbscript:</c> or
/// <c>data:</c> URL written into an <c>href</c> or <c>src</c> attribute. Values written as they are
/// (<c>{{event.Total}}</c>) use the invariant culture; the built-in helpers (<c>money</c>, <c>number</c>,
/// <c>percent</c>, <c>discounted</c>, <c>date</c>, <c>time</c>, <c>dateTime</c>, <c>timeLeft</c>,
/// <c>trackedLink</c>, <c>unsubscribeUrl</c>) use the customer's culture and time zone. Thread-safe.
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
    /// <exception cref="ArgumentException">A helper takes a built-in helper's name, or two of yours share a name.</exception>
    public HandlebarsTemplateEngine(HandlebarsTemplateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var names = options.Helpers.Keys.Concat(options.ModelHelpers.Keys).Concat(options.BlockHelpers.Keys).ToList();
        if (names.FirstOrDefault(n => BuiltInHelpers.All.ContainsKey(n) || n == UrlAttributeGuard.HelperName) is { } clash)
        {
            throw new ArgumentException($"'{clash}' is a built-in helper; give your helper another name.", nameof(options));
        }

        if (names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"'{twice.Key}' is registered twice; a helper name is either a helper, a model helper or a block helper.", nameof(options));
        }

        _text = Create(options, noEscape: true);
        _html = Create(options, noEscape: false);
        _helperNames = [.. names, .. BuiltInHelpers.All.Keys];
    }

    /// <summary>The shared engine with the built-in helpers, used by <c>JourneyBuilder.Build()</c>.</summary>
    public static HandlebarsTemplateEngine Default { get; } = new();

    /// <summary>
    /// The model of the message being rendered, for a block helper of yours that writes in the customer's culture or
    /// time zone (<see cref="TemplateModel.Culture"/>, <see cref="TemplateModel.TimeZone"/>) or needs the channel.
    /// Helpers that return a value get the model as a parameter instead: <see cref="HandlebarsTemplateOptions.ModelHelpers"/>.
    /// </summary>
    /// <param name="block">The options Handlebars passes to the block helper.</param>
    /// <returns>The model the template is rendered with.</returns>
    /// <exception cref="InvalidOperationException">The template is not rendered by a <see cref="HandlebarsTemplateEngine"/>.</exception>
    public static TemplateModel ModelOf(in BlockHelperOptions block) => ModelOf(block.Frame);

    /// <inheritdoc />
    public ICompiledTemplate Compile(string source, TemplateFormat format, TemplateModelShape shape) =>
        Compile(source, format, shape, allowRawHtml: false);

    /// <summary>
    /// Compiles a template once, checking its syntax, helpers, partials and every field it references against the
    /// model's shape; a plain template (text, field paths, <c>#each</c> blocks) is left to its fast path, and Handlebars
    /// compiles it only on the first render that needs it. An HTML template refuses raw HTML (<c>{{{...}}}</c>) unless <paramref name="allowRawHtml"/>.
    /// </summary>
    /// <param name="source">The template text.</param>
    /// <param name="format">Whether values are HTML-escaped (<see cref="TemplateFormat.Html"/>) or written as they are.</param>
    /// <param name="shape">The fields a template of this journey can reference.</param>
    /// <param name="allowRawHtml">Whether an HTML template may write values unescaped with <c>{{{...}}}</c>; plain text always may.</param>
    /// <returns>A thread-safe compiled template.</returns>
    /// <exception cref="TemplateException">The template has a syntax error, calls an unknown helper or partial, writes raw HTML it is not allowed to, or references a field the model does not have.</exception>
    public ICompiledTemplate Compile(string source, TemplateFormat format, TemplateModelShape shape, bool allowRawHtml)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(shape);
        var html = format == TemplateFormat.Html;
        var handlebars = html ? _html : _text;
        var tokens = TemplateScanner.Scan(source);
        var urlAttributes = html ? HtmlUrlAttributes.Find(source, tokens) : [];
        var rendered = urlAttributes.Count > 0 ? UrlAttributeGuard.Wrap(source, urlAttributes) : source;

        // Syntax first. A plain template is valid by construction and Handlebars compiles it on the first render that
        // needs it, if any; any other is compiled now, which checks its syntax (the scanner reads templates Handlebars
        // accepts). With URL attributes, the guarded template is the one renders use: compiled once, and the source
        // only when that fails, for the error the author wrote.
        var plain = TemplateSyntax.IsPlain(source, tokens);
        var compiled = plain ? null : TryCompile(handlebars, rendered);
        if (!plain && compiled is null)
        {
            HandlebarsCompile(handlebars, source);
        }

        TemplateFieldChecker.Check(tokens, urlAttributes, shape, _helperNames, refuseRawHtml: html && !allowRawHtml);
        var template = new CompiledTemplate(handlebars, rendered, plain ? null : compiled ?? HandlebarsCompile(handlebars, rendered));
        return SubstitutionTemplate.TryCreate(source, tokens, urlAttributes, shape, html ? _html.Configuration.TextEncoder : null, template) ?? template;
    }

    /// <summary>The model a template is rendered with: Handlebars' <c>@root</c>, whatever block the helper is called in.</summary>
    internal static TemplateModel ModelOf(BindingContext frame) =>
        frame.Data[ChainSegment.Root] as TemplateModel
        ?? throw new InvalidOperationException("Recovery.Journeys template helpers run only in templates rendered by HandlebarsTemplateEngine.");

    private static HandlebarsTemplate<object, object> HandlebarsCompile(IHandlebars handlebars, string source)
    {
        try
        {
            return handlebars.Compile(source);
        }
        catch (HandlebarsException e)
        {
            throw new TemplateException($"syntax error: {e.Message}", e);
        }
    }

    private static HandlebarsTemplate<object, object>? TryCompile(IHandlebars handlebars, string source)
    {
        try
        {
            return handlebars.Compile(source);
        }
        catch (HandlebarsException)
        {
            return null;
        }
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

        foreach (var (name, helper) in options.ModelHelpers.Concat(BuiltInHelpers.All))
        {
            handlebars.RegisterHelper(name, (in HelperOptions helperOptions, in Context _, in Arguments arguments) => helper(ModelOf(helperOptions.Frame), arguments));
        }

        foreach (var (name, helper) in options.BlockHelpers)
        {
            handlebars.RegisterHelper(name, helper);
        }

        handlebars.RegisterHelper(UrlAttributeGuard.HelperName, UrlAttributeGuard.Write);
        return handlebars;
    }

    /// <summary>
    /// A template Handlebars renders: compiled when the journey is built, or for a plain template the first time a
    /// render needs it, once, whichever thread asks first (<see cref="TemplateSyntax"/> has checked its syntax).
    /// </summary>
    internal sealed class CompiledTemplate : ICompiledTemplate
    {
        private readonly Lazy<HandlebarsTemplate<object, object>> _template;

        public CompiledTemplate(IHandlebars handlebars, string source, HandlebarsTemplate<object, object>? compiled)
        {
            _template = compiled is null
                ? new Lazy<HandlebarsTemplate<object, object>>(() => HandlebarsCompile(handlebars, source), LazyThreadSafetyMode.ExecutionAndPublication)
                : new Lazy<HandlebarsTemplate<object, object>>(compiled);
        }

        /// <summary>Whether Handlebars has compiled the template.</summary>
        public bool IsCompiled => _template.IsValueCreated;

        public string Render(TemplateModel model) => _template.Value(model);
    }
}
