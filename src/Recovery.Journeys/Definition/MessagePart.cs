using Recovery.Journeys.Channels;
using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Definition;

/// <summary>One channel of a <see cref="ChannelStep"/>: the kind of message it sends and the contact it needs.</summary>
internal abstract class MessagePart
{
    private protected MessagePart(Type messageType)
    {
        MessageType = messageType;
        Channel = ChannelNameAttribute.Of(messageType);
        Requires = RequiresContactAttribute.Of(messageType);
    }

    /// <summary>The channel's name: <c>push</c>, <c>email</c>, ...</summary>
    public string Channel { get; }

    /// <summary>The message type the channel is found by.</summary>
    public Type MessageType { get; }

    /// <summary>The contacts, any one of which the customer needs to be reached on this channel.</summary>
    public ContactKinds Requires { get; }

    /// <summary>
    /// Whether the message is rendered from templates that read a <see cref="TemplateModel"/>: not for a message of
    /// constant texts, which renders without one.
    /// </summary>
    public abstract bool IsTemplated { get; }

    /// <summary>Calls <paramref name="visitor"/> with the message type as a type argument, so typed code can run without reflection.</summary>
    public abstract TResult Accept<TResult>(IMessageTypeVisitor<TResult> visitor);
}

/// <summary>A <see cref="MessagePart"/> composed from the typed trigger event.</summary>
/// <typeparam name="TEvent">The journey's trigger event type.</typeparam>
internal abstract class MessagePart<TEvent>(Type messageType) : MessagePart(messageType)
{
    /// <summary>Builds the message for one send.</summary>
    /// <param name="context">The step's context.</param>
    /// <param name="model">What templates see; <see langword="null"/> when <see cref="MessagePart.IsTemplated"/> is false.</param>
    public abstract object Compose(StepContext<TEvent> context, TemplateModel? model);
}

/// <summary>A message rendered from templates compiled at <c>Build()</c>.</summary>
internal sealed class TemplatedPart<TEvent, TMessage>(Func<TemplateModel, TMessage> render, bool readsModel = true) : MessagePart<TEvent>(typeof(TMessage))
    where TMessage : class
{
    // A message of constant texts, rendered at its first send and handed to every later one: the same texts make the
    // same message (an immutable record, as a membership change's one message is shared by every send). A render that
    // throws is not kept, and throws again at the next send.
    private TMessage? _constant;

    public override bool IsTemplated => readsModel;

    public override object Compose(StepContext<TEvent> context, TemplateModel? model) =>
        readsModel ? render(model!) : _constant ??= render(null!);

    public override TResult Accept<TResult>(IMessageTypeVisitor<TResult> visitor) => visitor.Visit<TMessage>();
}

/// <summary>A message the journey's own delegate composes (<c>Send&lt;TMessage&gt;</c>, list changes, webhooks).</summary>
internal sealed class ComposedPart<TEvent, TMessage>(Func<StepContext<TEvent>, TMessage> compose) : MessagePart<TEvent>(typeof(TMessage))
    where TMessage : class
{
    public override bool IsTemplated => false;

    public override object Compose(StepContext<TEvent> context, TemplateModel? model) => compose(context);

    public override TResult Accept<TResult>(IMessageTypeVisitor<TResult> visitor) => visitor.Visit<TMessage>();
}

/// <summary>Typed code run for a message type that is only known at run time (finding its channel, say).</summary>
/// <typeparam name="TResult">What the visit returns.</typeparam>
internal interface IMessageTypeVisitor<out TResult>
{
    TResult Visit<TMessage>()
        where TMessage : class;
}
