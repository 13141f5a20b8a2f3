using Recovery.Journeys.Customers;

namespace Recovery.Journeys.Ports;

/// <summary>
/// Says whether a customer agrees to be contacted on a channel. Implemented by the host (its preference centre);
/// consulted at every send, so an opt-out takes effect for messages already scheduled. A channel the customer
/// opted out of is skipped with a reason.
/// </summary>
/// <remarks>Called concurrently; implementations must be thread-safe. An exception is a transient failure of the step.</remarks>
public interface IConsentChecker
{
    /// <summary>Whether the customer may be contacted on the channel.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="channel">The channel's name (<c>email</c>, <c>sms</c>, <c>push</c>, ...).</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    ValueTask<bool> MayContactAsync(Customer customer, string channel, CancellationToken cancellationToken);
}
