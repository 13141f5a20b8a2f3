namespace Recovery.Journeys.Ports;

/// <summary>Finds the channel that sends a message kind. The DI registration resolves channels from the container.</summary>
public interface IChannelResolver
{
    /// <summary>Returns the channel for <typeparamref name="TMessage"/>, or <see langword="null"/> when none is registered.</summary>
    /// <typeparam name="TMessage">The message kind.</typeparam>
    IChannel<TMessage>? Resolve<TMessage>()
        where TMessage : class;
}
