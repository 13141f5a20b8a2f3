using Recovery.Journeys.Channels;
using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Dsl;

/// <summary>Describes a browser push notification: <c>.WebPush(w =&gt; w.Title("...").Body("...").Url("..."))</c>. Plain-text templates.</summary>
public sealed class WebPushMessageBuilder : TemplatedMessageBuilder<WebPushMessage, WebPushMessageBuilder>
{
    private string? _title;
    private string? _body;
    private string? _iconUrl;
    private string? _url;

    internal WebPushMessageBuilder()
    {
    }

    /// <summary>Sets the title template. Required.</summary>
    /// <param name="template">The template.</param>
    public WebPushMessageBuilder Title(string template)
    {
        _title = Require(template, nameof(template));
        return this;
    }

    /// <summary>Sets the body template. Required.</summary>
    /// <param name="template">The template.</param>
    public WebPushMessageBuilder Body(string template)
    {
        _body = Require(template, nameof(template));
        return this;
    }

    /// <summary>Sets the icon image URL template. Optional.</summary>
    /// <param name="template">The template.</param>
    public WebPushMessageBuilder IconUrl(string template)
    {
        _iconUrl = Require(template, nameof(template));
        return this;
    }

    /// <summary>Sets the URL opened on click, a template. Optional.</summary>
    /// <param name="template">The template.</param>
    public WebPushMessageBuilder Url(string template)
    {
        _url = Require(template, nameof(template));
        return this;
    }

    private protected override WebPushMessageBuilder CreateVariant() => new();

    private protected override string? MissingFields() =>
        _title is null ? "a web push needs a Title(...)" : _body is null ? "a web push needs a Body(...)" : null;

    private protected override Func<TemplateModel, WebPushMessage> CompileFields(StepTemplateCompiler compiler)
    {
        var title = compiler.Compile("title", _title!, TemplateFormat.PlainText);
        var body = compiler.Compile("body", _body!, TemplateFormat.PlainText);
        var iconUrl = compiler.CompileOptional("icon URL", _iconUrl, TemplateFormat.PlainText);
        var url = compiler.CompileOptional("URL", _url, TemplateFormat.PlainText);
        return model => new WebPushMessage(title.Render(model), body.Render(model)) { IconUrl = iconUrl?.Render(model), Url = url?.Render(model) };
    }
}
