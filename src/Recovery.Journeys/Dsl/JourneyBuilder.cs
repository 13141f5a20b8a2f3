using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Templating;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Dsl;

/// <summary>
/// Describes a journey: what starts it, how its events are routed, its rules, and its steps. Each call is checked as
/// it is made; <see cref="Build()"/> checks the whole journey again and compiles its templates. Every error names the
/// journey and, where there is one, the step.
/// </summary>
/// <remarks>
/// Mutable and not thread-safe; used once. After <see cref="Build()"/> every call throws
/// <see cref="InvalidOperationException"/>: start a new builder with <see cref="Journey.When{TEvent}"/>.
/// </remarks>
/// <typeparam name="TEvent">The trigger event type.</typeparam>
public sealed partial class JourneyBuilder<TEvent> : StepsBuilder<TEvent, JourneyBuilder<TEvent>>
    where TEvent : class
{
    internal JourneyBuilder(Func<TEvent, bool>? filter, string? filterText)
        : base(new BuilderScope<TEvent>(new JourneyBlueprint<TEvent> { Name = typeof(TEvent).Name, Filter = filter, FilterText = filterText }), Duration.Zero)
    {
    }

    private PathBuilder<TEvent>? _exitPath;

    private JourneyBlueprint<TEvent> Blueprint => Scope.Blueprint;

    /// <summary>Names the journey: the key of its instances in the store, in reports and in metrics.</summary>
    /// <param name="name">Letters, digits, '.', '-' or '_', at most 100 characters. The default is the event type's name.</param>
    public JourneyBuilder<TEvent> Named(string name)
    {
        Scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(name);
        if (!NamePattern().IsMatch(name) || name.Length > 100)
        {
            throw Scope.Fail(null, $"the name '{name}' is invalid: use letters, digits, '.', '-' or '_', at most 100 characters");
        }

        Blueprint.Name = name;
        return this;
    }

    /// <summary>Sets the definition's version. Instances keep the version they started with. The default is 1.</summary>
    /// <param name="version">A positive number, raised when a deploy changes the journey's steps.</param>
    public JourneyBuilder<TEvent> Version(int version)
    {
        Scope.EnsureNotBuilt();
        Blueprint.Version = version >= 1 ? version : throw Scope.Fail(null, $"the version must be positive, was {version}");
        return this;
    }

    /// <summary>
    /// Names the key that events are routed by (<c>e =&gt; e.OrderId</c>). One active instance per key; exit events
    /// select the same key. Required.
    /// </summary>
    /// <param name="correlationKey">Selects the key; an event whose key is null or empty is rejected.</param>
    public JourneyBuilder<TEvent> CorrelateBy(Func<TEvent, string?> correlationKey)
    {
        Scope.EnsureNotBuilt();
        Blueprint.Correlate = correlationKey ?? throw new ArgumentNullException(nameof(correlationKey));
        return this;
    }

    /// <summary>Takes the customer from the trigger event. A journey that sends messages needs this or <see cref="ForCustomerId"/>.</summary>
    /// <param name="customer">Selects the customer from the event.</param>
    public JourneyBuilder<TEvent> ForCustomer(Func<TEvent, Customer?> customer)
    {
        Scope.EnsureNotBuilt();
        Blueprint.Customer = customer ?? throw new ArgumentNullException(nameof(customer));
        Blueprint.CustomerId = null;
        return this;
    }

    /// <summary>
    /// Names the customer by id; the engine looks the customer up in the host's <see cref="ICustomerDirectory"/> at
    /// each send, so contact details are current.
    /// </summary>
    /// <param name="customerId">Selects the customer id from the event.</param>
    public JourneyBuilder<TEvent> ForCustomerId(Func<TEvent, string?> customerId)
    {
        Scope.EnsureNotBuilt();
        Blueprint.CustomerId = customerId ?? throw new ArgumentNullException(nameof(customerId));
        Blueprint.Customer = null;
        return this;
    }

    /// <summary>Says what a trigger does for a key that already has an active instance. The default is <see cref="ReentryPolicy.Ignore"/>.</summary>
    /// <param name="policy">The policy.</param>
    public JourneyBuilder<TEvent> OnReentry(ReentryPolicy policy)
    {
        Scope.EnsureNotBuilt();
        Blueprint.ReentryPolicy = Enum.IsDefined(policy) ? policy : throw Scope.Fail(null, $"unknown re-entry policy {policy}");
        return this;
    }

    /// <summary>
    /// Keeps one instance per customer: a newer trigger for the same customer (another cart, another order) starts its
    /// own instance and ends the older ones, so the customer hears about the latest cart only.
    /// </summary>
    public JourneyBuilder<TEvent> LatestPerCustomer()
    {
        Scope.EnsureNotBuilt();
        Blueprint.LatestPerCustomer = true;
        return this;
    }

    /// <summary>A customer who entered this journey less than <paramref name="period"/> ago does not enter it again (the trigger is suppressed).</summary>
    /// <param name="period">The cooldown; positive.</param>
    public JourneyBuilder<TEvent> Cooldown(Duration period)
    {
        Scope.EnsureNotBuilt();
        Blueprint.Cooldown = period > Duration.Zero ? Scope.WithinCeiling(null, "the cooldown", period) : throw Scope.Fail(null, $"the cooldown must be positive, was {DurationText.Format(period)}");
        return this;
    }

    /// <summary>
    /// Puts the journey in arbitration with the other journeys that have a priority: a customer runs at most one of
    /// them at a time. A trigger for a customer already in a journey of higher or equal priority is suppressed; one of
    /// higher priority starts and ends the lower ones.
    /// </summary>
    /// <param name="priority">Higher wins.</param>
    public JourneyBuilder<TEvent> Priority(int priority)
    {
        Scope.EnsureNotBuilt();
        Blueprint.Priority = priority;
        return this;
    }

    /// <summary>Says what the journey does when a step fails. The default is <see cref="StepFailurePolicy.Continue"/>.</summary>
    /// <param name="policy">The policy.</param>
    public JourneyBuilder<TEvent> OnStepFailure(StepFailurePolicy policy)
    {
        Scope.EnsureNotBuilt();
        Blueprint.StepFailurePolicy = Enum.IsDefined(policy) ? policy : throw Scope.Fail(null, $"unknown step failure policy {policy}");
        return this;
    }

    /// <summary>
    /// Ends an instance when a <typeparamref name="TExit"/> event with the same correlation key arrives: every pending
    /// step is cancelled at once. By default the exit is the journey's goal and records a conversion.
    /// </summary>
    /// <typeparam name="TExit">The exit event type, e.g. <c>OrderPaid</c>.</typeparam>
    /// <param name="correlationKey">Selects the key from the exit event (<c>e =&gt; e.OrderId</c>).</param>
    /// <param name="configure">Optionally filters the event, records a value, or makes the exit not a conversion.</param>
    public JourneyBuilder<TEvent> ExitWhen<TExit>(Func<TExit, string?> correlationKey, Action<ExitRuleBuilder<TExit>>? configure = null)
        where TExit : class
    {
        Scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(correlationKey);
        if (Blueprint.Exits.Exists(e => e.EventType == typeof(TExit)))
        {
            throw Scope.Fail(null, $"ExitWhen<{typeof(TExit).Name}> is declared twice");
        }

        var exit = new ExitRuleBuilder<TExit>();
        configure?.Invoke(exit);
        Blueprint.Exits.Add(new JourneyExitRule<TExit>(correlationKey, exit.Filter, exit.Value, exit.IsConversion, exit.OccurredAtSelector));
        return this;
    }

    /// <summary>
    /// Restarts the wait before the next step whenever a <typeparamref name="TActivity"/> event with the same key
    /// arrives (debounce): "remind one hour after the last change to the cart".
    /// </summary>
    /// <typeparam name="TActivity">The activity event type, e.g. <c>CartUpdated</c>.</typeparam>
    /// <param name="correlationKey">Selects the key from the activity event.</param>
    public JourneyBuilder<TEvent> RestartWaitOn<TActivity>(Func<TActivity, string?> correlationKey)
        where TActivity : class
    {
        Scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(correlationKey);
        Blueprint.Restarts.Add(new KeyedEventRule(typeof(TActivity), e => correlationKey((TActivity)e), null));
        return this;
    }

    /// <summary>
    /// Computes a named value at each send, visible to templates as <c>{{values.name}}</c>: for instance the minutes
    /// left on an offer, <c>.Compute("minutesLeft", c =&gt; (c.StartedAt + 20.Minutes() - c.Now).TotalMinutes)</c>.
    /// </summary>
    /// <param name="name">A name made of letters, digits and '_'.</param>
    /// <param name="value">Computes the value from the step's context.</param>
    public JourneyBuilder<TEvent> Compute(string name, Func<StepContext<TEvent>, object?> value)
    {
        Scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!BuilderScope<TEvent>.IsName(name))
        {
            throw Scope.Fail(null, $"the computed value name '{name}' is invalid: use letters, digits and '_', starting with a letter");
        }

        if (Blueprint.Computed.Exists(c => c.Name == name))
        {
            throw Scope.Fail(null, $"the computed value '{name}' is declared twice");
        }

        Blueprint.Computed.Add((name, value));
        return this;
    }

    /// <summary>
    /// Fetches content from the host's provider of that name at each message step (stock left, recommendations,
    /// a social-proof figure), visible to templates as <c>{{content.name}}</c>. A provider that fails is retried
    /// like a channel.
    /// </summary>
    /// <param name="name">The provider's name, as registered with <c>AddContentProvider</c>: letters, digits and '_'.</param>
    public JourneyBuilder<TEvent> Fetch(string name) => Fetch<object>(name);

    /// <summary>Fetches typed content from the host's provider of that name; templates are checked against <typeparamref name="TContent"/>.</summary>
    /// <typeparam name="TContent">What the provider returns.</typeparam>
    /// <param name="name">The provider's name, as registered with <c>AddContentProvider</c>.</param>
    public JourneyBuilder<TEvent> Fetch<TContent>(string name)
        where TContent : class
    {
        Scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(name);
        if (!BuilderScope<TEvent>.IsName(name))
        {
            throw Scope.Fail(null, $"the content name '{name}' is invalid: use letters, digits and '_', starting with a letter");
        }

        if (Blueprint.Content.Exists(c => c.Name == name))
        {
            throw Scope.Fail(null, $"the content '{name}' is fetched twice");
        }

        Blueprint.Content.Add((name, typeof(TContent)));
        return this;
    }

    /// <summary>
    /// Sets how long after a message a conversion is attributed to it (the last message sent before the goal event).
    /// After its last step an instance stays active, sending nothing, for this long, so that a payment shortly after the
    /// last message still converts it; then it completes. A journey without a conversion exit completes at once.
    /// </summary>
    /// <param name="window">A positive duration, at most 90 days. The default is <see cref="JourneyDefinition.DefaultAttributionWindow"/> (24 hours).</param>
    public JourneyBuilder<TEvent> AttributionWindow(Duration window)
    {
        Scope.EnsureNotBuilt();
        Blueprint.AttributionWindow = window > Duration.Zero && window <= Duration.FromDays(90)
            ? window
            : throw Scope.Fail(null, $"the attribution window must be positive and at most 90 days, was {DurationText.Format(window)}");
        return this;
    }

    /// <summary>
    /// Reads when the trigger happened from the event itself (<c>e =&gt; e.AbandonedAt</c>), rather than when it was
    /// published. Then a trigger that happened before the latest exit remembered for its key (a late or redelivered
    /// abandonment of an order already paid) is refused, while one that happened after it may enter; and a trigger
    /// older than <paramref name="maxAge"/> when it arrives is refused as stale. Refusals are on the timeline.
    /// </summary>
    /// <param name="occurredAt">Selects the instant from the event.</param>
    /// <param name="maxAge">How old a trigger may be when it arrives; the default is <see cref="JourneyDefinition.DefaultMaxTriggerAge"/> (24 hours).</param>
    public JourneyBuilder<TEvent> OccurredAt(Func<TEvent, Instant> occurredAt, Duration? maxAge = null)
    {
        Scope.EnsureNotBuilt();
        Blueprint.OccurredAt = occurredAt ?? throw new ArgumentNullException(nameof(occurredAt));
        Blueprint.MaxTriggerAge = maxAge is not { } age ? JourneyDefinition.DefaultMaxTriggerAge
            : age > Duration.Zero ? Scope.WithinCeiling(null, "OccurredAt's maximum age", age)
            : throw Scope.Fail(null, $"OccurredAt's maximum age must be positive, was {DurationText.Format(age)}");
        return this;
    }

    /// <summary>
    /// Sets how long an exit event (<c>OrderPaid</c>) is remembered for its correlation key, whether or not an instance
    /// was running: a trigger for that key in this time does not enter, so a payment published before its abandonment
    /// (a slow producer, a queue redelivery, two web servers) still stops every reminder. Zero remembers nothing.
    /// </summary>
    /// <param name="period">At most 400 days. The default is the attribution window or <see cref="JourneyDefinition.MinimumExitMemory"/> (7 days), whichever is longer.</param>
    public JourneyBuilder<TEvent> RememberExitsFor(Duration period)
    {
        Scope.EnsureNotBuilt();
        Blueprint.ExitMemory = period >= Duration.Zero && period <= Duration.FromDays(400)
            ? period
            : throw Scope.Fail(null, $"exits can be remembered for 0 to 400 days, not {DurationText.Format(period)}");
        return this;
    }

    /// <summary>
    /// Checks a condition of the host's before every step that goes through a channel or issues a coupon, under the
    /// instance's claim: <c>.SendOnlyWhile((c, ct) =&gt; orders.IsUnpaidAsync(c.Event.OrderId, ct))</c>. When it no longer
    /// holds, nothing is sent and the instance ends, converted (the default) or exited, with the reason on its timeline.
    /// </summary>
    /// <remarks>
    /// For shops whose payment event can be lost. It costs one call to the host per send, and a condition that throws
    /// or times out is a transient failure: the step is retried, and never sent while the answer is unknown. Exit
    /// actions (<see cref="OnExit"/>) are not held by it.
    /// </remarks>
    /// <param name="condition">Whether the journey should still send, e.g. whether the order is still unpaid.</param>
    /// <param name="endsAsConversion">Whether a false answer means the goal was met (the default) or only that the journey should stop.</param>
    public JourneyBuilder<TEvent> SendOnlyWhile(Func<StepContext<TEvent>, CancellationToken, ValueTask<bool>> condition, bool endsAsConversion = true)
    {
        Scope.EnsureNotBuilt();
        Blueprint.SendCondition = condition ?? throw new ArgumentNullException(nameof(condition));
        Blueprint.SendConditionEndsAsConversion = endsAsConversion;
        return this;
    }

    /// <summary>
    /// Adds steps that run once, one after the other, when an instance ends whatever the reason — paid, cancelled,
    /// completed, failed (not erased): <c>.OnExit(x =&gt; x.RemoveFromCrmList("unpaid").RemoveFromAudience("retargeting").RevokeCoupon())</c>.
    /// They run at once (no delays, no waits), with idempotency keys and retries like other steps, and a holdout
    /// instance skips those that go through channels as it skipped the others.
    /// </summary>
    /// <param name="steps">The exit actions.</param>
    public JourneyBuilder<TEvent> OnExit(Action<PathBuilder<TEvent>> steps)
    {
        Scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(steps);
        if (_exitPath is not null)
        {
            throw Scope.Fail(null, "OnExit is declared twice; list every exit action in one OnExit");
        }

        var path = new PathBuilder<TEvent>(Scope, EarliestOffset);
        steps(path);
        path.Close();
        if (path.Nodes.Count == 0)
        {
            throw Scope.Fail(null, "OnExit lists no step");
        }

        if (path.Nodes.FirstOrDefault(n => n.Timing != StepTiming.Immediately) is { } timed)
        {
            throw Scope.Fail(timed.Id, "an exit action runs as soon as the journey ends: it takes no After, AfterStart or AtLocalTime");
        }

        if (path.Nodes.FirstOrDefault(n => n is ForkNode { Label: not BranchStep<object>.Channel }) is { } fork)
        {
            throw Scope.Fail(fork.Id, "an exit action cannot wait for an event or split into an experiment");
        }

        _exitPath = path;
        return this;
    }

    /// <summary>Sets the culture for customers without one (money, dates, which localized variant). The default is the invariant culture.</summary>
    /// <param name="culture">An IETF culture tag such as <c>fr-FR</c>.</param>
    public JourneyBuilder<TEvent> DefaultCulture(string culture)
    {
        Scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(culture);
        try
        {
            Blueprint.DefaultCulture = CultureInfo.GetCultureInfo(culture, predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            throw Scope.Fail(null, $"the culture '{culture}' is unknown");
        }

        return this;
    }

    /// <summary>Sets the time zone for customers without one. The default is UTC.</summary>
    /// <param name="timeZoneId">A tzdb id such as <c>Europe/Paris</c>.</param>
    public JourneyBuilder<TEvent> DefaultTimeZone(string timeZoneId)
    {
        Scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(timeZoneId);
        Blueprint.DefaultTimeZone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZoneId) ?? throw Scope.Fail(null, $"the time zone '{timeZoneId}' is not a tzdb id");
        return this;
    }

    /// <summary>Checks the whole journey, compiles its templates with the default Handlebars engine, and returns the immutable definition.</summary>
    /// <exception cref="JourneyDefinitionException">The journey is invalid; the message says where and why.</exception>
    public JourneyDefinition Build() => Build(HandlebarsTemplateEngine.Default);

    /// <summary>Checks the whole journey, compiles its templates with <paramref name="templateEngine"/>, and returns the immutable definition.</summary>
    /// <param name="templateEngine">The engine that compiles the message templates.</param>
    /// <exception cref="JourneyDefinitionException">The journey is invalid; the message says where and why.</exception>
    public JourneyDefinition Build(ITemplateEngine templateEngine)
    {
        ArgumentNullException.ThrowIfNull(templateEngine);
        Scope.EnsureNotBuilt();
        Scope.Built = true;

        if (Blueprint.Correlate is null)
        {
            throw Scope.Fail(null, "no correlation key: call CorrelateBy(e => e.OrderId) to say which instance an event belongs to");
        }

        if (Nodes.Count == 0)
        {
            throw Scope.Fail(null, "it has no steps: add at least one (Push, Email, Sms, Send or Do)");
        }

        if (PendingTiming is { } dangling)
        {
            throw Scope.Fail(null, $"{dangling.Call} after the last step '{Nodes[^1].Id}' is not followed by a step");
        }

        var namesNoCustomer = Blueprint.Customer is null && Blueprint.CustomerId is null;
        if (namesNoCustomer && FirstSender(Nodes) is { } sender)
        {
            throw Scope.Fail(sender, "it sends a message but the journey names no customer: call ForCustomer(...) or ForCustomerId(...)");
        }

        if (namesNoCustomer && (Blueprint.LatestPerCustomer || Blueprint.Cooldown is not null || Blueprint.Priority is not null || Blueprint.IssuesCoupons || Blueprint.ActivityQuietPeriod is not null))
        {
            throw Scope.Fail(null, "its customer rules (LatestPerCustomer, Cooldown, Priority, WaitWhileActive, coupons) need a customer: call ForCustomer(...) or ForCustomerId(...)");
        }

        var shape = new TemplateModelShape(typeof(TEvent), Blueprint.Computed.Select(c => c.Name).ToHashSet(StringComparer.Ordinal))
        {
            Content = Blueprint.Content.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal),
        };
        var steps = new List<JourneyStep>();
        StepNode.FlattenSequence(Nodes, steps, continuation: null, Compiler);
        var exitSteps = new List<JourneyStep>();
        StepNode.FlattenSequence(_exitPath?.Nodes ?? [], exitSteps, continuation: null, Compiler);
        return Blueprint.ToDefinition(steps, exitSteps);

        StepTemplateCompiler Compiler(string stepId) => new(Blueprint.Name, stepId, templateEngine, shape);
    }

    private static string? FirstSender(IEnumerable<StepNode> nodes) => nodes.FirstOrDefault(n => n.UsesChannels) switch
    {
        ForkNode fork => fork.Paths.Select(FirstSender).FirstOrDefault(id => id is not null),
        { } node => node.Id,
        null => null,
    };

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NamePattern();
}
