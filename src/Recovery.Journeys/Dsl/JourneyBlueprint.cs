using System.Globalization;
using NodaTime;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Timing;

namespace Recovery.Journeys.Dsl;

/// <summary>
/// What a <see cref="JourneyBuilder{TEvent}"/> has gathered so far: mutable, copied into the immutable definition by
/// <c>Build()</c>, and unreachable from it afterwards.
/// </summary>
internal sealed class JourneyBlueprint<TEvent>
    where TEvent : class
{
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

    public List<(string Name, Type Type)> Content { get; } = [];

    public List<KeyedEventRule> Waits { get; } = [];

    public List<KeyedEventRule> Restarts { get; } = [];

    public List<QuietHours> QuietHours { get; } = [];

    public bool LatestPerCustomer { get; set; }

    public Duration? Cooldown { get; set; }

    public int? Priority { get; set; }

    public Duration? ActivityQuietPeriod { get; set; }

    /// <summary>Whether an <c>IssueCoupon</c> step was added, for the checks of later coupon steps.</summary>
    public bool IssuesCoupons { get; set; }

    /// <summary>The discount of the journey's first coupon, to check later raises against.</summary>
    public Coupons.CouponDiscount? CouponDiscount { get; set; }

    public CultureInfo? DefaultCulture { get; set; }

    public DateTimeZone? DefaultTimeZone { get; set; }

    public int HoldoutPercent { get; set; }

    public Duration AttributionWindow { get; set; } = JourneyDefinition.DefaultAttributionWindow;

    public List<JourneyExperiment> Experiments { get; } = [];

    public Func<TEvent, Instant>? OccurredAt { get; set; }

    public Duration MaxTriggerAge { get; set; } = JourneyDefinition.DefaultMaxTriggerAge;

    /// <summary>How long exits are remembered, when the journey says; else the attribution window or the minimum, whichever is longer.</summary>
    public Duration? ExitMemory { get; set; }

    public Duration? MaxLateness { get; set; }

    public Func<StepContext<TEvent>, CancellationToken, ValueTask<bool>>? SendCondition { get; set; }

    public bool SendConditionEndsAsConversion { get; set; }

    /// <summary>Copies everything gathered into a new, immutable definition with the given steps.</summary>
    public JourneyDefinition<TEvent> ToDefinition(IReadOnlyList<JourneyStep> steps, IReadOnlyList<JourneyStep> exitSteps) => new()
    {
        Name = Name,
        Version = Version,
        EntryFilter = FilterText,
        Steps = steps,
        ExitSteps = exitSteps,
        OccurredAt = OccurredAt,
        KnowsWhenTriggersOccurred = OccurredAt is not null,
        MaxTriggerAge = MaxTriggerAge,
        ExitMemory = ExitMemory ?? Duration.Max(AttributionWindow, JourneyDefinition.MinimumExitMemory),
        MaxLateness = MaxLateness,
        SendCondition = SendCondition,
        SendConditionEndsAsConversion = SendCondition is null ? null : SendConditionEndsAsConversion,
        Filter = Filter,
        Correlate = Correlate!,
        Customer = Customer,
        CustomerId = CustomerId,
        Exits = [.. Exits],
        ReentryPolicy = ReentryPolicy,
        StepFailurePolicy = StepFailurePolicy,
        Computed = [.. Computed],
        ComputedValues = [.. Computed.Select(c => c.Name)],
        Content = [.. Content],
        Waits = [.. Waits],
        Restarts = [.. Restarts],
        QuietHours = [.. QuietHours],
        LatestPerCustomer = LatestPerCustomer,
        Cooldown = Cooldown,
        Priority = Priority,
        ActivityQuietPeriod = ActivityQuietPeriod,
        HoldoutPercent = HoldoutPercent,
        AttributionWindow = AttributionWindow,
        Experiments = [.. Experiments],
        DefaultCulture = DefaultCulture ?? CultureInfo.InvariantCulture,
        DefaultTimeZone = DefaultTimeZone ?? DateTimeZone.Utc,
    };
}
