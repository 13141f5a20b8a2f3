using Recovery.Journeys.Channels;
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
            Data = data.Count == 0 ? PushMessage.EmptyData : data.ToDictionary(d => d.Key, d => d.Template.Render(model), StringComparer.Ordinal),
        };
    }
}

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

/// <summary>
/// Describes an e-mail: <c>.Email(m =&gt; m.Subject("...").HtmlBody("...").TextBody("..."))</c>.
/// The HTML body escapes template values; the subject and text body do not.
/// </summary>
public sealed class EmailMessageBuilder : TemplatedMessageBuilder<EmailMessage, EmailMessageBuilder>
{
    private string? _subject;
    private string? _html;
    private string? _text;

    internal EmailMessageBuilder()
    {
    }

    /// <summary>Sets the subject template. Required.</summary>
    /// <param name="template">The template.</param>
    public EmailMessageBuilder Subject(string template)
    {
        _subject = Require(template, nameof(template));
        return this;
    }

    /// <summary>Sets the HTML body template; values are HTML-escaped (use <c>{{{triple}}}</c> for trusted HTML). At least one body is required.</summary>
    /// <param name="template">The template.</param>
    public EmailMessageBuilder HtmlBody(string template)
    {
        _html = Require(template, nameof(template));
        return this;
    }

    /// <summary>Sets the plain-text body template. At least one body is required.</summary>
    /// <param name="template">The template.</param>
    public EmailMessageBuilder TextBody(string template)
    {
        _text = Require(template, nameof(template));
        return this;
    }

    private protected override EmailMessageBuilder CreateVariant() => new();

    private protected override string? MissingFields() =>
        _subject is null ? "an e-mail needs a Subject(...)"
        : _html is null && _text is null ? "an e-mail needs an HtmlBody(...) or a TextBody(...)"
        : null;

    private protected override Func<TemplateModel, EmailMessage> CompileFields(StepTemplateCompiler compiler)
    {
        var subject = compiler.Compile("subject", _subject!, TemplateFormat.PlainText);
        var html = compiler.CompileOptional("HTML body", _html, TemplateFormat.Html);
        var text = compiler.CompileOptional("text body", _text, TemplateFormat.PlainText);
        return model => new EmailMessage(subject.Render(model), html?.Render(model), text?.Render(model));
    }
}

/// <summary>Describes an SMS: <c>.Sms(s =&gt; s.Text("..."))</c>. The text is a plain-text template.</summary>
public sealed class SmsMessageBuilder : TemplatedMessageBuilder<SmsMessage, SmsMessageBuilder>
{
    private string? _text;

    internal SmsMessageBuilder()
    {
    }

    /// <summary>Sets the text template. Required.</summary>
    /// <param name="template">The template.</param>
    public SmsMessageBuilder Text(string template)
    {
        _text = Require(template, nameof(template));
        return this;
    }

    private protected override SmsMessageBuilder CreateVariant() => new();

    private protected override string? MissingFields() => _text is null ? "an SMS needs a Text(...)" : null;

    private protected override Func<TemplateModel, SmsMessage> CompileFields(StepTemplateCompiler compiler)
    {
        var text = compiler.Compile("text", _text!, TemplateFormat.PlainText);
        return model => new SmsMessage(text.Render(model));
    }
}

/// <summary>Describes a chat message: <c>.Chat(c =&gt; c.Text("...").QuickReply("..."))</c>. Plain-text templates.</summary>
public sealed class ChatMessageBuilder : TemplatedMessageBuilder<ChatMessage, ChatMessageBuilder>
{
    private readonly List<string> _quickReplies = [];
    private string? _text;

    internal ChatMessageBuilder()
    {
    }

    /// <summary>Sets the text template. Required.</summary>
    /// <param name="template">The template.</param>
    public ChatMessageBuilder Text(string template)
    {
        _text = Require(template, nameof(template));
        return this;
    }

    /// <summary>Adds a suggested reply, a template. Optional.</summary>
    /// <param name="template">The template.</param>
    public ChatMessageBuilder QuickReply(string template)
    {
        _quickReplies.Add(Require(template, nameof(template)));
        return this;
    }

    private protected override ChatMessageBuilder CreateVariant() => new();

    private protected override string? MissingFields() => _text is null ? "a chat message needs a Text(...)" : null;

    private protected override Func<TemplateModel, ChatMessage> CompileFields(StepTemplateCompiler compiler)
    {
        var text = compiler.Compile("text", _text!, TemplateFormat.PlainText);
        var replies = _quickReplies.Select((r, i) => compiler.Compile($"quick reply {i + 1}", r, TemplateFormat.PlainText)).ToList();
        return model => new ChatMessage(text.Render(model)) { QuickReplies = replies.Select(r => r.Render(model)).ToList() };
    }
}

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
