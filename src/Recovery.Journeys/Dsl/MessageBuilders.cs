using Recovery.Journeys.Channels;
using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Dsl;

/// <summary>Describes a message whose text fields are templates, compiled when the journey is built.</summary>
/// <typeparam name="TMessage">The rendered message.</typeparam>
public abstract class TemplatedMessageBuilder<TMessage>
    where TMessage : class
{
    private protected TemplatedMessageBuilder()
    {
    }

    /// <summary>Returns what is missing for the message to be complete, or <see langword="null"/>.</summary>
    internal abstract string? Missing();

    internal abstract Func<TemplateModel, TMessage> Compile(StepTemplateCompiler compiler);

    private protected static string Require(string template, string argumentName)
    {
        ArgumentNullException.ThrowIfNull(template, argumentName);
        return template;
    }
}

/// <summary>Describes an app push notification: <c>.Push(p =&gt; p.Title("...").Body("..."))</c>. All fields are plain-text templates.</summary>
public sealed class PushMessageBuilder : TemplatedMessageBuilder<PushMessage>
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

    internal override string? Missing() => _body is null ? "a push needs a Body(...)" : null;

    internal override Func<TemplateModel, PushMessage> Compile(StepTemplateCompiler compiler)
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

/// <summary>
/// Describes an e-mail: <c>.Email(m =&gt; m.Subject("...").HtmlBody("...").TextBody("..."))</c>.
/// The HTML body escapes template values; the subject and text body do not.
/// </summary>
public sealed class EmailMessageBuilder : TemplatedMessageBuilder<EmailMessage>
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

    internal override string? Missing() =>
        _subject is null ? "an e-mail needs a Subject(...)"
        : _html is null && _text is null ? "an e-mail needs an HtmlBody(...) or a TextBody(...)"
        : null;

    internal override Func<TemplateModel, EmailMessage> Compile(StepTemplateCompiler compiler)
    {
        var subject = compiler.Compile("subject", _subject!, TemplateFormat.PlainText);
        var html = compiler.CompileOptional("HTML body", _html, TemplateFormat.Html);
        var text = compiler.CompileOptional("text body", _text, TemplateFormat.PlainText);
        return model => new EmailMessage(subject.Render(model), html?.Render(model), text?.Render(model));
    }
}

/// <summary>Describes an SMS: <c>.Sms(s =&gt; s.Text("..."))</c>. The text is a plain-text template.</summary>
public sealed class SmsMessageBuilder : TemplatedMessageBuilder<SmsMessage>
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

    internal override string? Missing() => _text is null ? "an SMS needs a Text(...)" : null;

    internal override Func<TemplateModel, SmsMessage> Compile(StepTemplateCompiler compiler)
    {
        var text = compiler.Compile("text", _text!, TemplateFormat.PlainText);
        return model => new SmsMessage(text.Render(model));
    }
}
