using System.Globalization;
using NodaTime;
using Recovery.Journeys.Customers;

namespace Recovery.Journeys.Templating;

/// <summary>
/// What a template sees when a step renders its message:
/// <c>event</c>, <c>customer</c>, <c>journey</c>, <c>now</c> and <c>values</c>.
/// </summary>
/// <remarks>Member names are matched without regard to case: <c>{{customer.name}}</c> reads <see cref="Customer.Name"/>.</remarks>
public sealed class TemplateModel
{
    /// <summary>The trigger event, with its own fields (<c>{{event.OrderId}}</c>).</summary>
    public required object Event { get; init; }

    /// <summary>The customer (<c>{{customer.name}}</c>); <see langword="null"/> for a journey without one.</summary>
    public Customer? Customer { get; init; }

    /// <summary>The journey run (<c>{{journey.name}}</c>, <c>{{journey.elapsedMinutes}}</c>).</summary>
    public required TemplateJourney Journey { get; init; }

    /// <summary>The current instant, from the injected clock (<c>{{now}}</c>, ISO-8601 UTC).</summary>
    public required Instant Now { get; init; }

    /// <summary>The journey's computed values for this send (<c>{{values.minutesLeft}}</c>), see <c>JourneyBuilder.Compute</c>.</summary>
    public required IReadOnlyDictionary<string, object?> Values { get; init; }

    /// <summary>Content fetched at send time from the host's providers (<c>{{content.stock.level}}</c>), see <c>JourneyBuilder.Fetch</c>.</summary>
    public IReadOnlyDictionary<string, object?> Content { get; init; } = NoContent;

    /// <summary>The instance's coupon (<c>{{coupon.code}}</c>), or <see langword="null"/> when none was issued.</summary>
    public TemplateCoupon? Coupon { get; init; }

    /// <summary>The culture numbers, money and dates are written in: the customer's, else the journey's default, else invariant.</summary>
    public CultureInfo Culture { get; init; } = CultureInfo.InvariantCulture;

    /// <summary>The time zone dates are written in: the customer's, else the journey's default, else UTC.</summary>
    public DateTimeZone TimeZone { get; init; } = DateTimeZone.Utc;

    /// <summary>The channel the message is rendered for (<c>push</c>, <c>email</c>), used in tracking links.</summary>
    public string Channel { get; init; } = string.Empty;

    /// <summary>The customer's unsubscribe link for this channel (<c>{{unsubscribeUrl}}</c>), when the engine is configured with <see cref="Channels.UnsubscribeLinks"/>.</summary>
    public string? UnsubscribeUrl { get; init; }

    private static readonly IReadOnlyDictionary<string, object?> NoContent = new Dictionary<string, object?>();
}
