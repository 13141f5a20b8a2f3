using Recovery.Journeys.Channels;
using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Dsl;

/// <summary>
/// Describes an on-site or in-app message (an exit-intent layer, a banner):
/// <c>.OnSite(o =&gt; o.Placement("exit-intent").Body("...").Action("Payer", "..."))</c>. Plain-text templates.
/// </summary>
public sealed class OnSiteMessageBuilder : TemplatedMessageBuilder<OnSiteMessage, OnSiteMessageBuilder>
{
    private string _placement = "exit-intent";
    private string? _title;
    private string? _body;
    private (string Text, string Url)? _action;

    internal OnSiteMessageBuilder()
    {
    }

    /// <summary>Sets where the site shows the message. The default is <c>exit-intent</c>.</summary>
    /// <param name="placement">A placement the host's site knows.</param>
    public OnSiteMessageBuilder Placement(string placement)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(placement);
        _placement = placement;
        return this;
    }

    /// <summary>Sets the title template. Optional.</summary>
    /// <param name="template">The template.</param>
    public OnSiteMessageBuilder Title(string template)
    {
        _title = Require(template, nameof(template));
        return this;
    }

    /// <summary>Sets the body template. Required.</summary>
    /// <param name="template">The template.</param>
    public OnSiteMessageBuilder Body(string template)
    {
        _body = Require(template, nameof(template));
        return this;
    }

    /// <summary>Sets the call to action: its text and link, both templates. Optional.</summary>
    /// <param name="textTemplate">The button's text.</param>
    /// <param name="urlTemplate">The link.</param>
    public OnSiteMessageBuilder Action(string textTemplate, string urlTemplate)
    {
        _action = (Require(textTemplate, nameof(textTemplate)), Require(urlTemplate, nameof(urlTemplate)));
        return this;
    }

    private protected override OnSiteMessageBuilder CreateVariant() => new() { _placement = _placement };

    private protected override string? MissingFields() => _body is null ? "an on-site message needs a Body(...)" : null;

    private protected override Func<TemplateModel, OnSiteMessage> CompileFields(StepTemplateCompiler compiler)
    {
        var placement = _placement;
        var title = compiler.CompileOptional("title", _title, TemplateFormat.PlainText);
        var body = compiler.Compile("body", _body!, TemplateFormat.PlainText);
        var actionText = compiler.CompileOptional("action text", _action?.Text, TemplateFormat.PlainText);
        var actionUrl = compiler.CompileOptional("action URL", _action?.Url, TemplateFormat.PlainText);
        return model => new OnSiteMessage(placement, body.Render(model))
        {
            Title = title?.Render(model),
            ActionText = actionText?.Render(model),
            ActionUrl = actionUrl?.Render(model),
        };
    }
}
