using System.Collections.Concurrent;
using Recovery.Journeys.Channels;

namespace Recovery.Journeys.Definition;

/// <summary>Tells which <see cref="StepKind"/> a message type makes: the one place that knows which channels speak to the customer.</summary>
internal static class StepKinds
{
    private static readonly ConcurrentDictionary<Type, StepKind> Kinds = new();

    /// <summary>The kind of a step that sends <paramref name="messageType"/>.</summary>
    public static StepKind Of(Type messageType) => Kinds.GetOrAdd(messageType, static type =>
        type == typeof(AudienceUpdate) || type == typeof(CrmListUpdate) ? StepKind.ListChange
        : ChannelNameAttribute.IsCustomerMessageType(type) ? StepKind.CustomerMessage
        : StepKind.HostAction);

    /// <summary>The kind of a step that sends on several channels: a customer message if any of them is one, else a list change if any is one.</summary>
    public static StepKind Of(IEnumerable<Type> messageTypes)
    {
        var kinds = messageTypes.Select(Of).ToList();
        return kinds.Contains(StepKind.CustomerMessage) ? StepKind.CustomerMessage
            : kinds.Contains(StepKind.ListChange) ? StepKind.ListChange
            : StepKind.HostAction;
    }
}
