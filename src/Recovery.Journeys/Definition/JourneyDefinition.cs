using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Runtime.Steps;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Time;
using Recovery.Journeys.Timing;

namespace Recovery.Journeys.Definition;

/// <summary>
/// A built journey: its trigger, steps, exits and policies. Immutable and thread-safe; built by
/// <see cref="Journey.When{TEvent}(Func{TEvent, bool}?, string?)"/>.
/// </summary>
public abstract class JourneyDefinition
{
    private readonly Dictionary<string, JourneyStep> _stepsById;

    private protected JourneyDefinition(JourneyRules rules, IReadOnlyList<JourneyStep> steps)
    {
        Name = rules.Name;
        Version = rules.Version;
        EventType = rules.EventType;
        EntryFilter = rules.EntryFilter;
        Steps = steps;
        Exits = rules.Exits;
        ReentryPolicy = rules.ReentryPolicy;
        StepFailurePolicy = rules.StepFailurePolicy;
        ComputedValues = rules.ComputedValues;
        QuietHours = rules.QuietHours;
        LatestPerCustomer = rules.LatestPerCustomer;
        Cooldown = rules.Cooldown;
        Priority = rules.Priority;
        ActivityQuietPeriod = rules.ActivityQuietPeriod;
        Waits = rules.Waits;
        Restarts = rules.Restarts;
        HoldoutPercent = rules.HoldoutPercent;
        AttributionWindow = rules.AttributionWindow;
        Experiments = rules.Experiments;
        _stepsById = steps.ToDictionary(s => s.Id, StringComparer.Ordinal);
        UsesLocalTimes = steps.Any(s => s.Timing.Anchor == StepTimingAnchor.LocalTimeOfDay);
    }

    /// <summary>The journey's name, unique among the journeys of an engine.</summary>
    public string Name { get; }

    /// <summary>The definition's version. An instance keeps running the version it started with.</summary>
    public int Version { get; }

    /// <summary>The event type that starts the journey.</summary>
    public Type EventType { get; }

    /// <summary>The entry filter's source text (<c>e =&gt; e.SecondsOnPaymentPage &gt; 30</c>), or <see langword="null"/> when every event enters.</summary>
    public string? EntryFilter { get; }

    /// <summary>The steps, the first one first; <see cref="JourneyStep.Transitions"/> link them into a graph.</summary>
    public IReadOnlyList<JourneyStep> Steps { get; }

    /// <summary>The events that end an instance early.</summary>
    public IReadOnlyList<JourneyExitRule> Exits { get; }

    /// <summary>What a trigger does for a key that already has an active instance.</summary>
    public ReentryPolicy ReentryPolicy { get; }

    /// <summary>What the journey does when a step fails.</summary>
    public StepFailurePolicy StepFailurePolicy { get; }

    /// <summary>The names of the values the journey computes for its templates (<c>values.name</c>).</summary>
    public IReadOnlyList<string> ComputedValues { get; }

    /// <summary>The daily windows in which the journey sends nothing, in the customer's time zone.</summary>
    public IReadOnlyList<QuietHours> QuietHours { get; }

    /// <summary>Whether a newer trigger for the same customer ends the customer's older instances.</summary>
    public bool LatestPerCustomer { get; }

    /// <summary>How long after entering a customer cannot enter again, or <see langword="null"/>.</summary>
    public Duration? Cooldown { get; }

    /// <summary>The journey's priority in arbitration between journeys, or <see langword="null"/> when it does not take part.</summary>
    public int? Priority { get; }

    /// <summary>How long the customer must have been inactive before a message goes out, or <see langword="null"/>.</summary>
    public Duration? ActivityQuietPeriod { get; }

    /// <summary>The attribution window when the journey sets none: 24 hours.</summary>
    public static Duration DefaultAttributionWindow { get; } = Duration.FromHours(24);

    /// <summary>The share of customers, in percent, who enter the journey but receive nothing (the holdout); 0 when there is none.</summary>
    public int HoldoutPercent { get; }

    /// <summary>
    /// How long after a message a conversion is attributed to it. After its last step an instance stays active, sending
    /// nothing, for this long, so that a payment in that time still converts it.
    /// </summary>
    /// <value>The default is <see cref="DefaultAttributionWindow"/>.</value>
    public Duration AttributionWindow { get; }

    /// <summary>The journey's experiments, in the order their steps appear.</summary>
    public IReadOnlyList<JourneyExperiment> Experiments { get; }

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
        var step = FindStep(experiment) as Recovery.Journeys.Experiments.IExperimentStep
            ?? throw new ArgumentException($"Journey '{Name}' has no experiment '{experiment}'.", nameof(experiment));
        return step.Variants[step.Choose(Name, customerId)].Name;
    }

    /// <summary>Returns whether a customer is in the journey's holdout: the same answer in every process, as the engine assigns it.</summary>
    /// <param name="customerId">The customer id; for a journey that names no customer, the correlation key.</param>
    public bool IsInHoldout(string customerId)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        return Recovery.Journeys.Experiments.Holdout.Contains(Name, HoldoutPercent, customerId);
    }

    internal IReadOnlyList<KeyedEventRule> Waits { get; }

    internal IReadOnlyList<KeyedEventRule> Restarts { get; }

    internal bool UsesLocalTimes { get; }

    /// <summary>Returns the step with the given id, or <see langword="null"/>.</summary>
    /// <param name="stepId">The step id.</param>
    public JourneyStep? FindStep(string stepId) => _stepsById.GetValueOrDefault(stepId);

    /// <summary>Describes the journey in a few lines of text: trigger, steps with their timing and where they lead, exits.</summary>
    public string Describe()
    {
        var text = new StringBuilder()
            .Append("Journey '").Append(Name).Append("' v").Append(Version)
            .Append(": when ").Append(EventType.Name)
            .Append(EntryFilter is null ? string.Empty : $" [{EntryFilter}]")
            .AppendLine();
        foreach (var step in Steps)
        {
            text.Append("  ").Append(step);
            if (step.Transitions.Count > 1)
            {
                text.Append(' ').AppendJoin(", ", step.Transitions.Select(t => $"{t.Label} -> {t.TargetStepId ?? "end"}"));
            }

            text.AppendLine();
        }

        foreach (var exit in Exits)
        {
            text.Append("  exit on ").AppendLine(exit.ToString());
        }

        if (HoldoutPercent > 0)
        {
            text.Append("  holdout ").Append(HoldoutPercent).AppendLine("%");
        }

        return text.ToString();
    }

    /// <summary>Draws the journey as a Mermaid flowchart, for docs and back-office pages.</summary>
    public string ToMermaid()
    {
        var text = new StringBuilder("flowchart TD\n");
        var node = Steps.Select((s, i) => (s.Id, Node: $"s{i}")).ToDictionary(p => p.Id, p => p.Node, StringComparer.Ordinal);
        text.Append("  start([\"").Append(EventType.Name)
            .Append(EntryFilter is null ? string.Empty : $"<br/>{Escape(EntryFilter)}")
            .Append(HoldoutPercent > 0 ? $"<br/>holdout {HoldoutPercent}%" : string.Empty).Append("\"])\n");
        var goals = string.Join(" or ", Exits.Where(e => e.IsConversion).Select(e => e.EventType.Name));
        foreach (var step in Steps)
        {
            var shape = step.Transitions.Count > 1 ? ("{\"", "\"}") : ("[\"", "\"]");
            text.Append("  ").Append(node[step.Id]).Append(shape.Item1).Append(Escape(step.Id)).Append("<br/>").Append(step.Channel).Append(shape.Item2).Append('\n');
        }

        Edge("start", string.Empty, Steps[0].Id);
        foreach (var step in Steps)
        {
            foreach (var transition in step.Transitions)
            {
                Edge(node[step.Id], transition.Label, transition.TargetStepId);
            }
        }

        for (var i = 0; i < Exits.Count; i++)
        {
            text.Append("  exit").Append(i).Append("{{\"").Append(Exits[i].EventType.Name).Append("\"}} -.->|")
                .Append(Exits[i].IsConversion ? "converted" : "exited").Append("| end").Append(i).Append("([")
                .Append(Exits[i].IsConversion ? "converted" : "exited").Append("])\n");
        }

        return text.ToString();

        void Edge(string from, string label, string? to)
        {
            // After its last step an instance listens for its goal for the attribution window.
            var timing = to is not null ? FindStep(to)!.Timing.ToString()
                : goals.Length > 0 ? $"listens {Time.DurationText.Format(AttributionWindow)} for {goals}"
                : null;
            var words = string.Join(": ", new[] { label, timing == "immediately" ? null : timing }.Where(w => !string.IsNullOrEmpty(w)));
            text.Append("  ").Append(from).Append(" -->").Append(words.Length == 0 ? " " : $"|\"{Escape(words)}\"| ")
                .Append(to is null ? "done([completed])" : node[to]).Append('\n');
        }

        static string Escape(string value) => value.Replace("\"", "#quot;", StringComparison.Ordinal).Replace(">", "#gt;", StringComparison.Ordinal).Replace("<", "#lt;", StringComparison.Ordinal);
    }

    /// <summary>Returns the journey's one-line summary.</summary>
    public override string ToString() => $"{Name} v{Version} ({EventType.Name}, {Steps.Count} steps)";

    internal abstract bool Accepts(object @event);

    internal abstract string? CorrelationKeyOf(object @event);

    internal abstract string? CustomerIdOf(object @event);

    internal abstract ValueTask<StepResult> RunStepAsync(
        JourneyInstance instance,
        JourneyStep step,
        Instant now,
        StepServices services,
        CancellationToken cancellationToken);

    internal abstract ValueTask<IReadOnlyList<PreviewedMessage>> PreviewStepAsync(
        JourneyInstance instance,
        JourneyStep step,
        Instant now,
        Customer? customer,
        StepServices services,
        CancellationToken cancellationToken);

    internal abstract bool NeedsCustomerDirectory { get; }

    /// <summary>The time zone an instance started by this event keeps for its local-time steps (tzdb id), or <see langword="null"/> for UTC.</summary>
    internal abstract ValueTask<string?> TimeZoneAtStartAsync(object @event, JourneyHostServices host, CancellationToken cancellationToken);

    internal abstract IEnumerable<Type> MessageTypes { get; }

    internal abstract IEnumerable<string> ContentNames { get; }
}

internal sealed class JourneyDefinition<TEvent> : JourneyDefinition
    where TEvent : class
{
    private static readonly IReadOnlyDictionary<string, object?> NoContent = new Dictionary<string, object?>();
    private static readonly ConcurrentDictionary<string, CultureInfo?> Cultures = new(StringComparer.OrdinalIgnoreCase);

    private readonly Func<TEvent, bool>? _filter;
    private readonly Func<TEvent, string?> _correlate;
    private readonly Func<TEvent, Customer?>? _customer;
    private readonly Func<TEvent, string?>? _customerId;
    private readonly IReadOnlyList<(string Name, Type Type)> _content;
    private readonly CultureInfo _defaultCulture;
    private readonly DateTimeZone _defaultTimeZone;

    public JourneyDefinition(JourneyBlueprint<TEvent> blueprint, IReadOnlyList<JourneyStep> steps)
        : base(blueprint.Rules(), steps)
    {
        _filter = blueprint.Filter;
        _correlate = blueprint.Correlate!;
        _customer = blueprint.Customer;
        _customerId = blueprint.CustomerId;
        _content = [.. blueprint.Content];
        _defaultCulture = blueprint.DefaultCulture ?? CultureInfo.InvariantCulture;
        _defaultTimeZone = blueprint.DefaultTimeZone ?? DateTimeZone.Utc;
        MessageTypes = blueprint.MessageTypes;
    }

    internal override bool NeedsCustomerDirectory => _customer is null && _customerId is not null;

    internal override IEnumerable<Type> MessageTypes { get; }

    internal override IEnumerable<string> ContentNames => _content.Select(c => c.Name);

    internal override bool Accepts(object @event) => _filter is null || _filter((TEvent)@event);

    internal override string? CorrelationKeyOf(object @event) => _correlate((TEvent)@event);

    internal override string? CustomerIdOf(object @event)
    {
        var typed = (TEvent)@event;
        return _customer is not null ? _customer(typed)?.Id : _customerId?.Invoke(typed);
    }

    internal override async ValueTask<StepResult> RunStepAsync(
        JourneyInstance instance,
        JourneyStep step,
        Instant now,
        StepServices services,
        CancellationToken cancellationToken)
    {
        var typedStep = (JourneyStep<TEvent>)step;
        TEvent @event;
        try
        {
            @event = instance.Trigger.GetValue<TEvent>();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new StepResult([new(JourneyRecordKind.Failed, step.Channel, $"the stored {typeof(TEvent).Name} event cannot be read: {e.Message}")]);
        }

        if (Recovery.Journeys.Experiments.Holdout.IsIn(instance.Variables) && Recovery.Journeys.Experiments.Holdout.Withhold<TEvent>(step) is { } withheld)
        {
            return withheld;
        }

        var customer = await FindCustomerAsync(@event, instance.CustomerId, services, cancellationToken).ConfigureAwait(false);
        var context = CreateContext(instance, step, @event, customer, now, NoContent);
        var run = new StepRun<TEvent>(context, services, instance.StepAttempt, instance.StepProgress);
        if (step.SendsMessages && customer is not null
            && await SendGuards.CheckAsync(this, step, run, customer, cancellationToken).ConfigureAwait(false) is { } held)
        {
            return held;
        }

        if (step.SendsMessages && _content.Count > 0 && customer is not null)
        {
            var (content, failure) = await FetchContentAsync(run, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return failure;
            }

            run = run with { Context = CreateContext(instance, step, @event, customer, now, content) };
        }

        return await typedStep.RunAsync(run, cancellationToken).ConfigureAwait(false);
    }

    internal override async ValueTask<IReadOnlyList<PreviewedMessage>> PreviewStepAsync(
        JourneyInstance instance,
        JourneyStep step,
        Instant now,
        Customer? customer,
        StepServices services,
        CancellationToken cancellationToken)
    {
        if (step is not MessageStep<TEvent> messageStep)
        {
            return [];
        }

        var @event = instance.Trigger.GetValue<TEvent>();
        customer ??= await FindCustomerAsync(@event, instance.CustomerId, services, cancellationToken).ConfigureAwait(false);
        var run = new StepRun<TEvent>(CreateContext(instance, step, @event, customer, now, NoContent), services, 0, null);
        if (_content.Count > 0)
        {
            var (content, failure) = await FetchContentAsync(run, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                throw new InvalidOperationException($"Journey '{Name}', step '{step.Id}': content could not be fetched: {failure.Deliveries[0].Detail}");
            }

            run = run with { Context = CreateContext(instance, step, @event, customer, now, content) };
        }

        return messageStep.Members
            .Select(m => customer is null ? new PreviewedMessage(m.Channel, null, "customer not found")
                : RequiresContactAttribute.Unreachable(customer, m.Requires) is { } unreachable ? new PreviewedMessage(m.Channel, null, unreachable)
                : new PreviewedMessage(m.Channel, m.Compose(run.Context, services), null))
            .ToList();
    }

    internal override async ValueTask<string?> TimeZoneAtStartAsync(object @event, JourneyHostServices host, CancellationToken cancellationToken)
    {
        var typed = (TEvent)@event;
        var zone = _customer is not null
            ? _customer(typed)?.TimeZone
            : UsesLocalTimes && _customerId?.Invoke(typed) is { } customerId && host.Customers is { } directory
                ? (await directory.FindAsync(customerId, cancellationToken).ConfigureAwait(false))?.TimeZone
                : null;
        return zone is not null && DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is not null
            ? zone
            : _defaultTimeZone == DateTimeZone.Utc ? null : _defaultTimeZone.Id;
    }

    private async ValueTask<Customer?> FindCustomerAsync(TEvent @event, string? customerId, StepServices services, CancellationToken cancellationToken) =>
        _customer is not null
            ? _customer(@event)
            : customerId is not null && services.Host.Customers is { } directory
                ? await directory.FindAsync(customerId, cancellationToken).ConfigureAwait(false)
                : null;

    private StepContext<TEvent> CreateContext(JourneyInstance instance, JourneyStep step, TEvent @event, Customer? customer, Instant now, IReadOnlyDictionary<string, object?> content) =>
        new(
            @event,
            customer,
            Name,
            instance.Id,
            instance.CorrelationKey,
            step.Id,
            instance.StartedAt,
            instance.WakeUpAt ?? now,
            now,
            instance.Variables,
            CultureOf(customer),
            TimeZoneOf(customer),
            content)
        {
            AssignmentUnit = instance.CustomerId ?? instance.CorrelationKey,
        };

    /// <summary>Fetches every declared content once for the step; a failure fails or retries the whole step.</summary>
    private async ValueTask<(IReadOnlyDictionary<string, object?> Content, StepResult? Failure)> FetchContentAsync(StepRun<TEvent> run, CancellationToken cancellationToken)
    {
        var content = new Dictionary<string, object?>(_content.Count, StringComparer.Ordinal);
        foreach (var (name, type) in _content)
        {
            object? value = null;
            var result = await Attempt.RunAsync(
                (Provider: run.Services.Host.Content[name], Request: new ContentRequest(name, run.Context.Event!, run.Context.Customer, Name, run.Context.StepId, run.Context.Now)),
                async (s, token) =>
                {
                    value = await s.Provider.GetAsync(s.Request, token).ConfigureAwait(false);
                    return value is null || type.IsInstanceOfType(value)
                        ? AttemptResult.Sent
                        : new AttemptResult(AttemptKind.Permanent, $"returned {value.GetType().Name}, not {type.Name}");
                },
                run.Services,
                cancellationToken).ConfigureAwait(false);

            var channel = $"content:{name}";
            if (result.Kind == AttemptKind.Transient && run.CanRetry(run.Attempt))
            {
                return (content, run.RetryLater([run.Retrying(channel, run.Attempt, result.Detail)], run.Attempt, run.Progress));
            }

            if (result.Kind != AttemptKind.Sent)
            {
                return (content, new StepResult([run.Final(channel, run.Attempt, result)]));
            }

            content[name] = value;
        }

        return (content, null);
    }

    private CultureInfo CultureOf(Customer? customer) =>
        customer?.Culture is { Length: > 0 } name
            ? Cultures.GetOrAdd(name, static n =>
            {
                try
                {
                    return CultureInfo.GetCultureInfo(n, predefinedOnly: true);
                }
                catch (CultureNotFoundException)
                {
                    return null;
                }
            }) ?? _defaultCulture
            : _defaultCulture;

    private DateTimeZone TimeZoneOf(Customer? customer) =>
        customer?.TimeZone is { Length: > 0 } id ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) ?? _defaultTimeZone : _defaultTimeZone;
}

/// <summary>What a definition holds besides its steps, gathered from the builder.</summary>
internal sealed record JourneyRules(
    string Name,
    int Version,
    Type EventType,
    string? EntryFilter,
    IReadOnlyList<JourneyExitRule> Exits,
    ReentryPolicy ReentryPolicy,
    StepFailurePolicy StepFailurePolicy,
    IReadOnlyList<string> ComputedValues,
    IReadOnlyList<QuietHours> QuietHours,
    bool LatestPerCustomer,
    Duration? Cooldown,
    int? Priority,
    Duration? ActivityQuietPeriod,
    IReadOnlyList<KeyedEventRule> Waits,
    IReadOnlyList<KeyedEventRule> Restarts,
    int HoldoutPercent,
    Duration AttributionWindow,
    IReadOnlyList<JourneyExperiment> Experiments);
