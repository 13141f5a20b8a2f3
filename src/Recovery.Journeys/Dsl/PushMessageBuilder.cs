using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Dsl;

/// <summary>Describes an app push notification: <c>.Push(p =&gt; p.Title("...").Body("..."))</c>. All fields are plain-text templates.</summary>
public sealed class PushMessageBuilder : TemplatedMessageBuilder<PushMessage, PushMessageBuilder>
{
    private readonly List<(string Key, string Template)> _data = [];
    private string? _title;
    private string? _body;
    private string? _icon;
    private string? _deepLink;

    internal PushMessageBuilder()
    {
    }

    /// <summary>Sets the title template. Optional.</summary>
    /// <param name="template">The template, e.g. <c>Commande {{event.OrderId}}</c>.</param>
    public PushMessageBuilder Title(string template)
    {
        _title = Require(template, nameof(template));
        return this;
    }

    /// <summary>Sets the body template. Required.</summary>
    /// <param name="template">The template.</param>
    public PushMessageBuilder Body(string template)
    {
        _body = Require(template, nameof(template));
        return this;
    }

    /// <summary>Sets the icon (an emoji such as <c>⏳</c> or an icon name), a template. Optional.</summary>
    /// <param name="template">The template.</param>
    public PushMessageBuilder Icon(string template)
    {
        _icon = Require(template, nameof(template));
        return this;
    }

    /// <summary>Sets the deep link opened on tap, a template (<c>myshop://pay?order={{event.OrderId}}</c>). Optional.</summary>
    /// <param name="template">The template.</param>
    public PushMessageBuilder DeepLink(string template)
    {
        _deepLink = Require(template, nameof(template));
        return this;
    }

    /// <summary>Adds a data entry for the app, its value a template. Optional; keys must be unique.</summary>
    /// <param name="key">The key.</param>
    /// <param name="template">The value's template.</param>
    public PushMessageBuilder Data(string key, string template)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        if (_data.Exists(d => d.Key == key))
        {
            throw new ArgumentException($"The push data key '{key}' is set twice.", nameof(key));
        }

        _data.Add((key, Require(template, nameof(template))));
        return this;
    }

    private protected override PushMessageBuilder CreateVariant() => new();

    private protected override string? MissingFields() => _body is null ? "a push needs a Body(...)" : null;

    private protected override Func<TemplateModel, PushMessage> CompileFields(StepTemplateCompiler compiler)
    {
        var title = compiler.CompileOptional("title", _title, TemplateFormat.PlainText);
        var body = compiler.Compile("body", _body!, TemplateFormat.PlainText);
        var icon = compiler.CompileOptional("icon", _icon, TemplateFormat.PlainText);
        var deepLink = compiler.CompileOptional("deep link", _deepLink, TemplateFormat.PlainText);
        var data = _data.Select(d => (d.Key, Template: compiler.Compile($"data '{d.Key}'", d.Template, TemplateFormat.PlainText))).ToList();
        return model => new PushMessage(title?.Render(model), body.Render(model))
        {
            Icon = icon?.Render(model),
            DeepLink = deepLink?.Render(model),
            Data = data.Count == 0 ? PushMessage.EmptyData : Render(data, model),
        };
    }

    // In a method of its own: a lambda capturing the model in the one above made every send allocate the capture, data or not.
    private static Dictionary<string, string> Render(List<(string Key, ICompiledTemplate Template)> data, TemplateModel model)
    {
        var rendered = new Dictionary<string, string>(data.Count, StringComparer.Ordinal);
        foreach (var (key, template) in data)
        {
            rendered.Add(key, template.Render(model));
        }

        return rendered;
    }
}
