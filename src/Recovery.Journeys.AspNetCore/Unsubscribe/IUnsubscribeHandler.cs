namespace Recovery.Journeys.AspNetCore.Unsubscribe;

/// <summary>
/// Records an unsubscription where the host keeps consent, so that its <c>IConsentChecker</c> refuses the channel from
/// then on. Registered by the host; <c>MapRecoveryJourneysUnsubscribe</c> calls it once the link's signature is verified.
/// </summary>
public interface IUnsubscribeHandler
{
    /// <summary>Records the unsubscription; called again for the same customer and channel, it must change nothing more.</summary>
    /// <param name="unsubscription">Who, on which channel, when.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask UnsubscribeAsync(Unsubscription unsubscription, CancellationToken cancellationToken);
}
