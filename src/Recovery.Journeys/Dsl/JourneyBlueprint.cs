using System.Globalization;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Coupons;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Templating;
using Recovery.Journeys.Timing;

namespace Recovery.Journeys.Dsl;

/// <summary>What a <see cref="JourneyBuilder{TEvent}"/> has gathered so far, handed to the definition at build time.</summary>
internal sealed class JourneyBlueprint<TEvent>
    where TEvent : class
{
    private static readonly IReadOnlyDictionary<string, object?> NoValues = new Dictionary<string, object?>();

    public required string Name { get; set; }

    public int Version { get; set; } = 1;

    public Func<TEvent, bool>? Filter { get; init; }

    public string? FilterText { get; init; }

    public Func<TEvent, string?>? Correlate { get; set; }

    public Func<TEvent, Customer?>? Customer { get; set; }

    public Func<TEvent, string?>? CustomerId { get; set; }

    public ReentryPolicy ReentryPolicy { get; set; }

    public StepFailurePolicy StepFailurePolicy { get; set; }

    public List<JourneyExitRule> Exits { get; } = [];

    public List<(string Name, Func<StepContext<TEvent>, object?> Compute)> Computed { get; } = [];

    public HashSet<Type> MessageTypes { get; } = [];

    public List<(string Name, Type Type)> Content { get; } = [];

    public List<KeyedEventRule> Waits { get; } = [];

    public List<KeyedEventRule> Restarts { get; } = [];

    public List<QuietHours> QuietHours { get; } = [];

    public bool LatestPerCustomer { get; set; }

    public Duration? Cooldown { get; set; }

    public int? Priority { get; set; }

    public Duration? ActivityQuietPeriod { get; set; }

    public bool IssuesCoupons { get; set; }

    /// <summary>The price the journey's coupon applies to, for <c>coupon.priceBefore</c> and <c>coupon.priceAfter</c>.</summary>
    public Func<TEvent, decimal>? CouponPrice { get; set; }

    /// <summary>The discount of the journey's first coupon, to check later raises against.</summary>
    public Coupons.CouponDiscount? CouponDiscount { get; set; }

    public CultureInfo? DefaultCulture { get; set; }

    public DateTimeZone? DefaultTimeZone { get; set; }

    public int HoldoutPercent { get; set; }

    public Duration AttributionWindow { get; set; } = JourneyDefinition.DefaultAttributionWindow;

    public List<JourneyExperiment> Experiments { get; } = [];

    private TemplateCoupon TemplateCouponOf(Coupons.Coupon coupon, StepContext<TEvent> context)
    {
        var price = CouponPrice?.Invoke(context.Event);
        return new TemplateCoupon
        {
            Name = coupon.Name,
            Code = coupon.Code,
            Discount = coupon.Discount.ToString(context.Culture),
            ExpiresAt = coupon.ExpiresAt,
            PriceBefore = price,
            PriceAfter = price is { } p ? coupon.Discount.ApplyTo(p) : null,
            IsRevoked = coupon.IsRevoked,
        };
    }

    public JourneyRules Rules() => new(
        Name,
        Version,
        typeof(TEvent),
        FilterText,
        [.. Exits],
        ReentryPolicy,
        StepFailurePolicy,
        [.. Computed.Select(c => c.Name)],
        [.. QuietHours],
        LatestPerCustomer,
        Cooldown,
        Priority,
        ActivityQuietPeriod,
        [.. Waits],
        [.. Restarts],
        HoldoutPercent,
        AttributionWindow,
        [.. Experiments]);

    /// <summary>Builds what a template sees for one send on one channel; computed values run here, once per send.</summary>
    public TemplateModel CreateTemplateModel(StepContext<TEvent> context, string channel, UnsubscribeLinks? unsubscribeLinks)
    {
        IReadOnlyDictionary<string, object?> values = NoValues;
        if (Computed.Count > 0)
        {
            var computed = new Dictionary<string, object?>(Computed.Count, StringComparer.Ordinal);
            foreach (var (name, compute) in Computed)
            {
                computed[name] = compute(context);
            }

            values = computed;
        }

        return new TemplateModel
        {
            Event = context.Event!,
            Customer = context.Customer,
            Now = context.Now,
            Values = values,
            Content = context.Content,
            Coupon = context.Coupon is { } coupon ? TemplateCouponOf(coupon, context) : null,
            Culture = context.Culture,
            TimeZone = context.TimeZone,
            Channel = channel,
            UnsubscribeUrl = context.Customer is { } customer ? unsubscribeLinks?.Create(customer.Id, channel).AbsoluteUri : null,
            Journey = new TemplateJourney
            {
                Name = context.JourneyName,
                Step = context.StepId,
                InstanceId = context.InstanceIdText,
                StartedAt = context.StartedAt,
                Elapsed = context.Elapsed,
            },
        };
    }
}

/// <summary>An event type a journey routes by correlation key to its active instance (a wait's event, a debounce), with the step it concerns.</summary>
internal sealed record KeyedEventRule(Type EventType, Func<object, string?> Correlate, string? StepId);
