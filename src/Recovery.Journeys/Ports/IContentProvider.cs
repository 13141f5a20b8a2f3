namespace Recovery.Journeys.Ports;

/// <summary>
/// Supplies content known only at send time: the stock left of a cart item ("plus que 2 en stock"), cross-sell
/// recommendations, a social-proof figure ("1 234 utilisateurs ont profité de cette offre"). A journey declares what
/// it uses with <c>.Fetch("stock")</c>; templates read it as <c>{{content.stock}}</c>.
/// </summary>
/// <remarks>
/// Called once per message step run, concurrently across journeys; implementations must be thread-safe. A provider
/// that throws is handled as a channel failure: the step is retried with backoff, then recorded as failed.
/// </remarks>
public interface IContentProvider
{
    /// <summary>Returns the content for one send.</summary>
    /// <param name="request">Who it is for and why.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>Any object templates can walk into, or <see langword="null"/>.</returns>
    ValueTask<object?> GetAsync(ContentRequest request, CancellationToken cancellationToken);
}
