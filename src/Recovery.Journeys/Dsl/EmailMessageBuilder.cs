using Recovery.Journeys.Channels;
using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Dsl;

/// <summary>
/// Describes an e-mail: <c>.Email(m =&gt; m.Subject("...").HtmlBody("...").TextBody("..."))</c>.
/// The HTML body escapes template values; the subject and text body do not.
/// </summary>
public sealed class EmailMessageBuilder : TemplatedMessageBuilder<EmailMessage, EmailMessageBuilder>
{
    private string? _subject;
    private string? _html;
    private string? _text;
    private bool _allowRawHtml;

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

    /// <summary>Sets the HTML body template; values are HTML-escaped (see <see cref="AllowRawHtml"/> for trusted HTML). At least one body is required.</summary>
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

    /// <summary>
    /// Lets the HTML body write trusted values unescaped with three braces (<c>{{{content.banner}}}</c>), which
    /// <c>Build()</c> refuses otherwise. Applies to this message, or to this localized variant.
    /// </summary>
    public EmailMessageBuilder AllowRawHtml()
    {
        _allowRawHtml = true;
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
        var html = compiler.CompileOptional("HTML body", _html, TemplateFormat.Html, _allowRawHtml);
        var text = compiler.CompileOptional("text body", _text, TemplateFormat.PlainText);
        return model => new EmailMessage(subject.Render(model), html?.Render(model), text?.Render(model));
    }
}
