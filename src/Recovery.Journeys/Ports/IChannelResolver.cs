namespace Recovery.Journeys.Ports;

/// <summary>Finds the channel that sends a message kind.</summary>
/// <remarks>
/// The engine asks once per message kind when it starts and keeps the answer; a kind without a channel makes the
/// engine refuse to start, naming the journey and the step. The DI registration resolves channels from the container
/// (<c>AddChannel</c>); the test harness answers with recording channels. Implement it to plug channels in without a
/// container.
/// </remarks>
public interface IChannelResolver
{
    /// <summary>Returns the channel for <typeparamref name="TMessage"/>, or <see langword="null"/> when none is registered.</summary>
    /// <typeparam name="TMessage">The message kind.</typeparam>
    IChannel<TMessage>? Resolve<TMessage>()
        where TMessage : class;
}
