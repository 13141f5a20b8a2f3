namespace Recovery.Journeys.Comparison.Shop;

/// <summary>
/// The push and e-mail providers the shop already has, as every framework's S1 calls them: the same implementation
/// (recording, or hanging on purpose) behind all three, so the comparison measures the frameworks, not the channels.
/// </summary>
public interface IShopChannels
{
    /// <summary>Sends an app push for <paramref name="orderId"/>; <paramref name="step"/> names the S1 reminder.</summary>
    Task PushAsync(string orderId, string step, string pushToken, string deepLink, string body, CancellationToken cancellationToken);

    /// <summary>Sends an e-mail for <paramref name="orderId"/>; <paramref name="step"/> names the S1 reminder.</summary>
    Task EmailAsync(string orderId, string step, string to, string subject, string htmlBody, CancellationToken cancellationToken);
}
