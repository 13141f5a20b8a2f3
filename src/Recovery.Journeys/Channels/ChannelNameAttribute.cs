using System.Collections.Concurrent;
using System.Reflection;

namespace Recovery.Journeys.Channels;

/// <summary>
/// Names the channel of a message type in timelines, reports and metrics (<c>push</c>, <c>email</c>).
/// Without it, a message type is named after its class.
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

    private static readonly ConcurrentDictionary<Type, string> Names = new();

    internal static string Of(Type messageType) =>
        Names.GetOrAdd(messageType, static t => t.GetCustomAttribute<ChannelNameAttribute>()?.Name ?? t.Name);
}
