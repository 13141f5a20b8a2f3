using Recovery.Journeys.Channels;
using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Dsl;

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
