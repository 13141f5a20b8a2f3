using System.Globalization;
using NodaTime;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Timing;

namespace Recovery.Journeys.Definition;

/// <summary>
/// A built journey: its trigger, steps, exits and rules. Immutable and thread-safe; made by <c>Build()</c> on the
/// builder that <c>Journey.When&lt;TEvent&gt;()</c> returns, which copies its state here and is then done.
/// </summary>
/// <remarks>
/// A definition is data only: the runtime (<c>Recovery.Journeys.Runtime</c>) reads it and carries it out. It keeps no
/// reference to the builder that made it.
/// </remarks>
public abstract class JourneyDefinition
{
    private readonly IReadOnlyList<JourneyStep> _steps = [];
    private readonly IReadOnlyList<JourneyStep> _exitSteps = [];
    private readonly Dictionary<string, JourneyStep> _stepsById = new(StringComparer.Ordinal);

    private protected JourneyDefinition()
    {
    }

    /// <summary>The attribution window when the journey sets none: 24 hours.</summary>
    public static Duration DefaultAttributionWindow { get; } = Duration.FromHours(24);

    /// <summary>The least time an exit is remembered for its correlation key when the journey sets none: 7 days (or the attribution window, if longer).</summary>
    public static Duration MinimumExitMemory { get; } = Duration.FromDays(7);

    /// <summary>How old a trigger that carries its own instant may be when the journey sets no limit: 24 hours.</summary>
    public static Duration DefaultMaxTriggerAge { get; } = Duration.FromHours(24);

    /// <summary>The journey's name, unique among the journeys of an engine.</summary>
    public string Name { get; internal init; } = string.Empty;

    /// <summary>The definition's version. An instance keeps running the version it started with.</summary>
    public int Version { get; internal init; } = 1;

    /// <summary>The event type that starts the journey.</summary>
    public abstract Type EventType { get; }

    /// <summary>The entry filter's source text (<c>e =&gt; e.SecondsOnPaymentPage &gt; 30</c>), or <see langword="null"/> when every event enters.</summary>
    public string? EntryFilter { get; internal init; }

    /// <summary>The steps, the first one first; <see cref="JourneyStep.Transitions"/> link them into a graph.</summary>
    public IReadOnlyList<JourneyStep> Steps
    {
        get => _steps;
        internal init
        {
            _steps = value;
            foreach (var step in value)
            {
                _stepsById.Add(step.Id, step);
            }

            UsesLocalTimes = value.Any(s => s.Timing.Anchor == StepTimingAnchor.LocalTimeOfDay);
        }
    }

    /// <summary>
    /// The steps that run once when an instance ends, whatever the reason (converted, exited, completed, failed; not
    /// erased), one after the other: leave the CRM list and the ad audience, revoke the coupon. Empty when there are none.
    /// </summary>
    public IReadOnlyList<JourneyStep> ExitSteps
    {
        get => _exitSteps;
        internal init
        {
            _exitSteps = value;
            foreach (var step in value)
            {
                _stepsById.Add(step.Id, step);
            }
        }
    }

    /// <summary>The events that end an instance early.</summary>
    public IReadOnlyList<JourneyExitRule> Exits { get; internal init; } = [];

    /// <summary>
    /// How long an exit event is remembered for its correlation key: a trigger for that key in this time does not enter
    /// (a redelivered or late abandonment of an order already paid). Zero to remember nothing.
    /// </summary>
    /// <value>The default is the attribution window or <see cref="MinimumExitMemory"/>, whichever is longer.</value>
    public Duration ExitMemory { get; internal init; } = MinimumExitMemory;

    /// <summary>Whether the trigger carries its own instant (<c>OccurredAt</c>), which refuses triggers older than the exit remembered for their key, and stale ones.</summary>
    public bool KnowsWhenTriggersOccurred { get; internal init; }

    /// <summary>How old a trigger may be, by its own instant, when it arrives; an older one is refused as stale. Only when <see cref="KnowsWhenTriggersOccurred"/>.</summary>
    public Duration MaxTriggerAge { get; internal init; } = DefaultMaxTriggerAge;

    /// <summary>
    /// How late a message to the customer may still go out, for steps that set no limit of their own
    /// (<see cref="StepTiming.MaxLateness"/>); <see langword="null"/> to send however late. The default.
    /// </summary>
    public Duration? MaxLateness { get; internal init; }

    /// <summary>Whether a condition of the host's is checked before every send (<c>SendOnlyWhile</c>).</summary>
    public bool HasSendCondition => SendConditionEndsAsConversion is not null;

    /// <summary>When the send condition fails: whether the instance ends converted (true) or exited (false); <see langword="null"/> without a condition.</summary>
    internal bool? SendConditionEndsAsConversion { get; init; }

    /// <summary>What a trigger does for a key that already has an active instance.</summary>
    public ReentryPolicy ReentryPolicy { get; internal init; }

    /// <summary>What the journey does when a step fails.</summary>
    public StepFailurePolicy StepFailurePolicy { get; internal init; }

    /// <summary>The names of the values the journey computes for its templates (<c>values.name</c>).</summary>
    public IReadOnlyList<string> ComputedValues { get; internal init; } = [];

    /// <summary>The daily windows in which the journey sends no message to the customer, in the customer's time zone.</summary>
    public IReadOnlyList<QuietHours> QuietHours { get; internal init; } = [];

    /// <summary>Whether a newer trigger for the same customer ends the customer's older instances.</summary>
    public bool LatestPerCustomer { get; internal init; }

    /// <summary>How long after entering a customer cannot enter again, or <see langword="null"/>.</summary>
    public Duration? Cooldown { get; internal init; }

    /// <summary>The journey's priority in arbitration between journeys, or <see langword="null"/> when it does not take part.</summary>
    public int? Priority { get; internal init; }

    /// <summary>How long the customer must have been inactive before a message goes out, or <see langword="null"/>.</summary>
    public Duration? ActivityQuietPeriod { get; internal init; }

    /// <summary>The share of customers, in percent, who enter the journey but receive nothing (the holdout); 0 when there is none.</summary>
    public int HoldoutPercent { get; internal init; }

    /// <summary>
    /// How long after a message a conversion is attributed to it. After its last step an instance listens, sending
    /// nothing, for this long, so that a payment in that time still converts it.
    /// </summary>
    /// <value>The default is <see cref="DefaultAttributionWindow"/>.</value>
    public Duration AttributionWindow { get; internal init; } = DefaultAttributionWindow;

    /// <summary>The journey's experiments, in the order their steps appear.</summary>
    public IReadOnlyList<JourneyExperiment> Experiments { get; internal init; } = [];

    /// <summary>The culture for customers without one (money, dates, which localized variant).</summary>
    /// <value>The default is the invariant culture.</value>
    public CultureInfo DefaultCulture { get; internal init; } = CultureInfo.InvariantCulture;

    /// <summary>The time zone for customers without one.</summary>
    /// <value>The default is UTC.</value>
    public DateTimeZone DefaultTimeZone { get; internal init; } = DateTimeZone.Utc;

    /// <summary>The events routed to an active instance that waits for them, with the wait's step.</summary>
    internal IReadOnlyList<KeyedEventRule> Waits { get; init; } = [];

    /// <summary>The events that restart the wait before the next step (debounce).</summary>
    internal IReadOnlyList<KeyedEventRule> Restarts { get; init; } = [];

    /// <summary>The content providers the journey fetches at each message step, by name, with the type they return.</summary>
    internal IReadOnlyList<(string Name, Type Type)> Content { get; init; } = [];

    /// <summary>Whether any step is timed at a local time of day (so the customer's zone is needed at the start).</summary>
    internal bool UsesLocalTimes { get; private init; }

    /// <summary>Whether the journey names its customer by id and so needs the host's customer directory.</summary>
    internal abstract bool NamesCustomerById { get; }

    /// <summary>
    /// Returns the variant a customer gets in one of the journey's experiments: the same in every process and after
    /// every restart, as the engine assigns it.
    /// </summary>
    /// <param name="experiment">The experiment's name.</param>
    /// <param name="customerId">The customer id; for a journey that names no customer, the correlation key.</param>
    /// <exception cref="ArgumentException">The journey has no such experiment.</exception>
    public string VariantOf(string experiment, string customerId)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        var step = FindStep(experiment) as ExperimentStep
            ?? throw new ArgumentException($"Journey '{Name}' has no experiment '{experiment}'.", nameof(experiment));
        return step.Variants[step.Choose(Name, customerId)].Name;
    }

    /// <summary>Returns whether a customer is in the journey's holdout: the same answer in every process, as the engine assigns it.</summary>
    /// <param name="customerId">The customer id; for a journey that names no customer, the correlation key.</param>
    public bool IsInHoldout(string customerId)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        return Holdout.Contains(Name, HoldoutPercent, customerId);
    }

    /// <summary>Returns the step with the given id, or <see langword="null"/>.</summary>
    /// <param name="stepId">The step id.</param>
    public JourneyStep? FindStep(string stepId) => _stepsById.GetValueOrDefault(stepId);

    /// <summary>Describes the journey in a few lines of text: trigger, steps with their timing and where they lead, exits.</summary>
    public string Describe() => JourneyDiagram.Describe(this);

    /// <summary>Draws the journey as a Mermaid flowchart, for docs and back-office pages.</summary>
    public string ToMermaid() => JourneyDiagram.ToMermaid(this);

    /// <summary>Returns the journey's one-line summary.</summary>
    public override string ToString() => $"{Name} v{Version} ({EventType.Name}, {Steps.Count} steps)";

    /// <summary>Whether an event of the trigger type passes the entry filter.</summary>
    internal abstract bool Accepts(object @event);

    /// <summary>The correlation key of a trigger event.</summary>
    internal abstract string? CorrelationKeyOf(object @event);

    /// <summary>The customer id of a trigger event, when the journey names a customer.</summary>
    internal abstract string? CustomerIdOf(object @event);

    /// <summary>The trigger's own instant, when the journey knows it (<c>OccurredAt</c>).</summary>
    internal abstract Instant? OccurredAtOf(object @event);

    /// <summary>Calls <paramref name="visitor"/> with the typed definition.</summary>
    internal abstract TResult Accept<TResult>(IJourneyVisitor<TResult> visitor);
}
