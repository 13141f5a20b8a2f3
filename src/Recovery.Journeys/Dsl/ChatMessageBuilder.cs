using Recovery.Journeys.Channels;
using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Dsl;

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
