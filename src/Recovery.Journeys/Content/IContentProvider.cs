using NodaTime;
using Recovery.Journeys.Customers;

namespace Recovery.Journeys.Content;

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

/// <summary>What a content provider is asked for.</summary>
/// <param name="Name">The content's name, as the journey declared it.</param>
/// <param name="Event">The journey's trigger event.</param>
/// <param name="Customer">The customer, if the journey names one.</param>
/// <param name="JourneyName">The journey.</param>
/// <param name="StepId">The step about to send.</param>
/// <param name="Now">The current instant.</param>
public sealed record ContentRequest(string Name, object Event, Customer? Customer, string JourneyName, string StepId, Instant Now);
