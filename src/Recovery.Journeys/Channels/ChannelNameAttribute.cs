using System.Collections.Concurrent;
using System.Reflection;

namespace Recovery.Journeys.Channels;

/// <summary>
/// Names the channel of a message type in timelines, reports and metrics (<c>push</c>, <c>email</c>), and says
/// whether its messages speak to the customer. Without it, a message type is named after its class and counts as a
/// message to the customer.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ChannelNameAttribute : Attribute
{
    /// <summary>Names the channel of the message type.</summary>
    /// <param name="name">A short lower-case name, stable across releases.</param>
    public ChannelNameAttribute(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The channel's name.</summary>
    public string Name { get; }

    /// <summary>
    /// Whether a message of this kind speaks to the customer. Timing rules (quiet hours, frequency caps, waiting while
    /// the customer is active) hold back only such messages; a call to another system (<see cref="WebhookMessage"/>)
    /// goes out whatever the customer's local time.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool IsCustomerMessage { get; init; } = true;

    private static readonly ConcurrentDictionary<Type, ChannelNameAttribute?> Attributes = new();

    internal static string Of(Type messageType) => AttributeOf(messageType)?.Name ?? messageType.Name;

    internal static bool IsCustomerMessageType(Type messageType) => AttributeOf(messageType)?.IsCustomerMessage ?? true;

    private static ChannelNameAttribute? AttributeOf(Type messageType) =>
        Attributes.GetOrAdd(messageType, static t => t.GetCustomAttribute<ChannelNameAttribute>());
}
