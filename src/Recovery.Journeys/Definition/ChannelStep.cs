namespace Recovery.Journeys.Definition;

/// <summary>A step that sends through one or more channels: messages, list changes, webhooks.</summary>
internal abstract class ChannelStep(string id, StepKind kind, IReadOnlyList<string> channels, ChannelMode mode, StepTiming timing, string? nextStepId)
    : JourneyStep(id, kind, channels, mode, timing, nextStepId)
{
    /// <summary>The step's channels as messages to compose, in order.</summary>
    public abstract IReadOnlyList<MessagePart> Parts { get; }
}

/// <summary>A <see cref="ChannelStep"/> whose messages are composed from the typed trigger event.</summary>
/// <typeparam name="TEvent">The journey's trigger event type.</typeparam>
internal sealed class ChannelStep<TEvent>(string id, ChannelMode mode, StepTiming timing, string? nextStepId, IReadOnlyList<MessagePart<TEvent>> parts)
    : ChannelStep(id, StepKinds.Of(parts.Select(p => p.MessageType)), parts.Select(p => p.Channel).ToList(), mode, timing, nextStepId)
{
    public override IReadOnlyList<MessagePart> Parts => parts;

    /// <summary>The typed parts, for composing.</summary>
    public IReadOnlyList<MessagePart<TEvent>> TypedParts => parts;
}
