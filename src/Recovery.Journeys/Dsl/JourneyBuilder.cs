using System.Text.RegularExpressions;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Steps;
using Recovery.Journeys.Templating;
using Recovery.Journeys.Time;

namespace Recovery.Journeys;

/// <summary>
/// Describes a journey step by step. Each call is checked as it is made; <see cref="Build()"/> checks the whole
/// journey again and compiles its templates. Every error names the journey and, where there is one, the step.
/// </summary>
/// <remarks>
/// Mutable and not thread-safe; used once. After <see cref="Build()"/> every call throws
/// <see cref="InvalidOperationException"/>: start a new builder with <see cref="Journey.When{TEvent}"/>.
/// </remarks>
/// <typeparam name="TEvent">The trigger event type.</typeparam>
public sealed partial class JourneyBuilder<TEvent>
    where TEvent : class
{
    private readonly JourneyBlueprint<TEvent> _blueprint;
    private readonly List<PendingStep> _steps = [];
    private (StepTiming Timing, string Call)? _pendingTiming;
    private Duration _earliestOffset = Duration.Zero;
    private bool _built;

    internal JourneyBuilder(Func<TEvent, bool>? filter, string? filterText)
    {
        _blueprint = new JourneyBlueprint<TEvent> { Name = typeof(TEvent).Name, Filter = filter, FilterText = filterText };
    }

    /// <summary>Names the journey: the key of its instances in the store, in reports and in metrics.</summary>
    /// <param name="name">Letters, digits, '.', '-' or '_', at most 100 characters. The default is the event type's name.</param>
    public JourneyBuilder<TEvent> Named(string name)
    {
        EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(name);
        if (!NamePattern().IsMatch(name) || name.Length > 100)
        {
            throw Fail(null, $"the name '{name}' is invalid: use letters, digits, '.', '-' or '_', at most 100 characters");
        }

        _blueprint.Name = name;
        return this;
    }

    /// <summary>Sets the definition's version. Instances keep the version they started with. The default is 1.</summary>
    /// <param name="version">A positive number, raised when a deploy changes the journey's steps.</param>
    public JourneyBuilder<TEvent> Version(int version)
    {
        EnsureNotBuilt();
        if (version < 1)
        {
            throw Fail(null, $"the version must be positive, was {version}");
        }

        _blueprint.Version = version;
        return this;
    }

    /// <summary>
    /// Names the key that events are routed by (<c>e =&gt; e.OrderId</c>). One active instance per key; exit events
    /// select the same key. Required.
    /// </summary>
    /// <param name="correlationKey">Selects the key; an event whose key is null or empty is rejected.</param>
    public JourneyBuilder<TEvent> CorrelateBy(Func<TEvent, string?> correlationKey)
    {
        EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(correlationKey);
        _blueprint.Correlate = correlationKey;
        return this;
    }

    /// <summary>Takes the customer from the trigger event. A journey that sends messages needs this or <see cref="ForCustomerId"/>.</summary>
    /// <param name="customer">Selects the customer from the event.</param>
    public JourneyBuilder<TEvent> ForCustomer(Func<TEvent, Customer?> customer)
    {
        EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(customer);
        _blueprint.Customer = customer;
        _blueprint.CustomerId = null;
        return this;
    }

    /// <summary>
    /// Names the customer by id; the engine looks the customer up in the host's <see cref="ICustomerDirectory"/> at
    /// each send, so contact details are current.
    /// </summary>
    /// <param name="customerId">Selects the customer id from the event.</param>
    public JourneyBuilder<TEvent> ForCustomerId(Func<TEvent, string?> customerId)
    {
        EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(customerId);
        _blueprint.CustomerId = customerId;
        _blueprint.Customer = null;
        return this;
    }

    /// <summary>Says what a trigger does for a key that already has an active instance. The default is <see cref="ReentryPolicy.Ignore"/>.</summary>
    /// <param name="policy">The policy.</param>
    public JourneyBuilder<TEvent> OnReentry(ReentryPolicy policy)
    {
        EnsureNotBuilt();
        _blueprint.ReentryPolicy = Enum.IsDefined(policy) ? policy : throw Fail(null, $"unknown re-entry policy {policy}");
        return this;
    }

    /// <summary>Says what the journey does when a step fails. The default is <see cref="StepFailurePolicy.Continue"/>.</summary>
    /// <param name="policy">The policy.</param>
    public JourneyBuilder<TEvent> OnStepFailure(StepFailurePolicy policy)
    {
        EnsureNotBuilt();
        _blueprint.StepFailurePolicy = Enum.IsDefined(policy) ? policy : throw Fail(null, $"unknown step failure policy {policy}");
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
        EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(correlationKey);
        if (_blueprint.Exits.Exists(e => e.EventType == typeof(TExit)))
        {
            throw Fail(null, $"ExitWhen<{typeof(TExit).Name}> is declared twice");
        }

        var exit = new ExitRuleBuilder<TExit>();
        configure?.Invoke(exit);
        _blueprint.Exits.Add(new JourneyExitRule<TExit>(correlationKey, exit.Filter, exit.Value, exit.IsConversion));
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
        EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!ValueNamePattern().IsMatch(name))
        {
            throw Fail(null, $"the computed value name '{name}' is invalid: use letters, digits and '_', starting with a letter");
        }

        if (_blueprint.Computed.Exists(c => c.Name == name))
        {
            throw Fail(null, $"the computed value '{name}' is declared twice");
        }

        _blueprint.Computed.Add((name, value));
        return this;
    }

    /// <summary>Delays the next step by <paramref name="delay"/> after the previous step ran (after the start, for the first step).</summary>
    /// <param name="delay">A positive duration, e.g. <c>5.Minutes()</c>.</param>
    public JourneyBuilder<TEvent> After(Duration delay) => SetTiming(new StepTiming(StepTimingAnchor.PreviousStep, delay), $"After({DurationText.Format(delay)})");

    /// <summary>
    /// Makes the next step due <paramref name="delay"/> after the journey started, whenever the previous steps ran:
    /// "+5 min, +1 h, +24 h after abandonment". It may not come before an earlier step's own time.
    /// </summary>
    /// <param name="delay">A positive duration from the start.</param>
    public JourneyBuilder<TEvent> AfterStart(Duration delay) => SetTiming(new StepTiming(StepTimingAnchor.JourneyStart, delay), $"AfterStart({DurationText.Format(delay)})");

    /// <summary>Reads as a separator between steps (<c>.Push(...).Then().After(1.Hours()).Email(...)</c>); it changes nothing.</summary>
    public JourneyBuilder<TEvent> Then()
    {
        EnsureNotBuilt();
        return this;
    }

    /// <summary>Sends an app push notification to the customer.</summary>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public JourneyBuilder<TEvent> Push(Action<PushMessageBuilder> configure) => Push(null, configure);

    /// <summary>Sends an app push notification to the customer, as a step with the given id.</summary>
    /// <param name="stepId">The step's stable id; the default is <c>push-1</c>, <c>push-2</c>, ...</param>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public JourneyBuilder<TEvent> Push(string? stepId, Action<PushMessageBuilder> configure) =>
        AddTemplated<PushMessage, PushMessageBuilder>(stepId, configure, new PushMessageBuilder());

    /// <summary>Sends an e-mail to the customer.</summary>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public JourneyBuilder<TEvent> Email(Action<EmailMessageBuilder> configure) => Email(null, configure);

    /// <summary>Sends an e-mail to the customer, as a step with the given id.</summary>
    /// <param name="stepId">The step's stable id; the default is <c>email-1</c>, <c>email-2</c>, ...</param>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public JourneyBuilder<TEvent> Email(string? stepId, Action<EmailMessageBuilder> configure) =>
        AddTemplated<EmailMessage, EmailMessageBuilder>(stepId, configure, new EmailMessageBuilder());

    /// <summary>Sends an SMS to the customer.</summary>
    /// <param name="configure">Describes the message; its text is a template.</param>
    public JourneyBuilder<TEvent> Sms(Action<SmsMessageBuilder> configure) => Sms(null, configure);

    /// <summary>Sends an SMS to the customer, as a step with the given id.</summary>
    /// <param name="stepId">The step's stable id; the default is <c>sms-1</c>, <c>sms-2</c>, ...</param>
    /// <param name="configure">Describes the message; its text is a template.</param>
    public JourneyBuilder<TEvent> Sms(string? stepId, Action<SmsMessageBuilder> configure) =>
        AddTemplated<SmsMessage, SmsMessageBuilder>(stepId, configure, new SmsMessageBuilder());

    /// <summary>Sends a message of a host-defined kind through the host's <see cref="IChannel{TMessage}"/>.</summary>
    /// <typeparam name="TMessage">The message kind; name its channel with <see cref="ChannelNameAttribute"/>.</typeparam>
    /// <param name="compose">Builds the message for one send.</param>
    public JourneyBuilder<TEvent> Send<TMessage>(Func<StepContext<TEvent>, TMessage> compose)
        where TMessage : class => Send(null, compose);

    /// <summary>Sends a message of a host-defined kind, as a step with the given id.</summary>
    /// <typeparam name="TMessage">The message kind.</typeparam>
    /// <param name="stepId">The step's stable id; the default is the channel name and a number.</param>
    /// <param name="compose">Builds the message for one send.</param>
    public JourneyBuilder<TEvent> Send<TMessage>(string? stepId, Func<StepContext<TEvent>, TMessage> compose)
        where TMessage : class
    {
        EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(compose);
        _blueprint.MessageTypes.Add(typeof(TMessage));
        return AddStep(stepId, ChannelNameAttribute.Of(typeof(TMessage)), (id, timing, _) => new MessageStep<TEvent, TMessage>(id, timing, compose));
    }

    /// <summary>Runs a host action, e.g. adding the customer to a CRM list. A throw is recorded as the step's failure.</summary>
    /// <param name="action">The action.</param>
    public JourneyBuilder<TEvent> Do(Func<StepContext<TEvent>, CancellationToken, ValueTask> action) => Do(null, action);

    /// <summary>Runs a host action, as a step with the given id.</summary>
    /// <param name="stepId">The step's stable id; the default is <c>action-1</c>, <c>action-2</c>, ...</param>
    /// <param name="action">The action.</param>
    public JourneyBuilder<TEvent> Do(string? stepId, Func<StepContext<TEvent>, CancellationToken, ValueTask> action)
    {
        EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(action);
        return AddStep(stepId, "action", (id, timing, _) => new ActionStep<TEvent>(id, timing, action));
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
        EnsureNotBuilt();
        _built = true;

        if (_blueprint.Correlate is null)
        {
            throw Fail(null, "no correlation key: call CorrelateBy(e => e.OrderId) to say which instance an event belongs to");
        }

        if (_steps.Count == 0)
        {
            throw Fail(null, "it has no steps: add at least one (Push, Email, Sms, Send or Do)");
        }

        if (_pendingTiming is { } dangling)
        {
            throw Fail(null, $"{dangling.Call} after the last step '{_steps[^1].Id}' is not followed by a step");
        }

        if (_blueprint.Customer is null && _blueprint.CustomerId is null && _steps.Find(s => s.SendsMessage) is { } sender)
        {
            throw Fail(sender.Id, "it sends a message but the journey names no customer: call ForCustomer(...) or ForCustomerId(...)");
        }

        var shape = new TemplateModelShape(typeof(TEvent), _blueprint.Computed.Select(c => c.Name).ToHashSet(StringComparer.Ordinal));
        var steps = new List<JourneyStep>(_steps.Count);
        foreach (var pending in _steps)
        {
            var compiler = new StepTemplateCompiler(_blueprint.Name, pending.Id, templateEngine, shape);
            steps.Add(pending.Create(pending.Id, pending.Timing, compiler));
        }

        for (var i = 0; i < steps.Count - 1; i++)
        {
            steps[i].NextStepId = steps[i + 1].Id;
        }

        return new JourneyDefinition<TEvent>(_blueprint, steps);
    }

    private JourneyBuilder<TEvent> SetTiming(StepTiming timing, string call)
    {
        EnsureNotBuilt();
        if (_pendingTiming is { } pending)
        {
            throw Fail(NextStepLabel(), $"{call} follows {pending.Call} without a step between them");
        }

        _pendingTiming = (timing, call);
        return this;
    }

    private JourneyBuilder<TEvent> AddTemplated<TMessage, TBuilder>(string? stepId, Action<TBuilder> configure, TBuilder builder)
        where TMessage : class
        where TBuilder : TemplatedMessageBuilder<TMessage>
    {
        EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(configure);
        var channel = ChannelNameAttribute.Of(typeof(TMessage));
        var id = stepId ?? DefaultStepId(channel);
        configure(builder);
        if (builder.Missing() is { } missing)
        {
            throw Fail(id, missing);
        }

        _blueprint.MessageTypes.Add(typeof(TMessage));
        var model = _blueprint.CreateTemplateModel;
        return AddStep(id, channel, (stepIdentity, timing, compiler) =>
        {
            var render = builder.Compile(compiler);
            return new MessageStep<TEvent, TMessage>(stepIdentity, timing, context => render(model(context)));
        });
    }

    private JourneyBuilder<TEvent> AddStep(string? stepId, string channel, Func<string, StepTiming, StepTemplateCompiler, JourneyStep<TEvent>> create)
    {
        var id = stepId ?? DefaultStepId(channel);
        if (!StepIdPattern().IsMatch(id))
        {
            throw Fail(id, "the step id is invalid: use 1 to 64 letters, digits, '.', '-' or '_'");
        }

        if (_steps.Exists(s => s.Id == id))
        {
            throw Fail(id, "another step already has this id; step ids must be unique");
        }

        var timing = _pendingTiming?.Timing ?? StepTiming.Immediately;
        if (_pendingTiming is { } pending && pending.Timing.Delay <= Duration.Zero)
        {
            throw Fail(id, $"{pending.Call} needs a positive delay; leave it out to run the step right after the previous one");
        }

        // The earliest offset from the start at which the step can run, to catch AfterStart going back in time.
        var earliest = timing.Anchor == StepTimingAnchor.JourneyStart ? timing.Delay : _earliestOffset + timing.Delay;
        if (earliest < _earliestOffset)
        {
            throw Fail(id, $"{_pendingTiming!.Value.Call} would be due before the previous step '{_steps[^1].Id}' (at +{DurationText.Format(_earliestOffset)} after start)");
        }

        _earliestOffset = earliest;
        _pendingTiming = null;
        _steps.Add(new PendingStep(id, channel, timing, create));
        return this;
    }

    private string DefaultStepId(string channel)
    {
        var number = _steps.Count(s => s.Channel == channel) + 1;
        while (_steps.Exists(s => s.Id == $"{channel}-{number}"))
        {
            number++;
        }

        return $"{channel}-{number}";
    }

    private string NextStepLabel() => $"#{_steps.Count + 1}";

    private JourneyDefinitionException Fail(string? stepId, string problem) => new(_blueprint.Name, stepId, problem);

    private void EnsureNotBuilt()
    {
        if (_built)
        {
            throw new InvalidOperationException(
                $"Journey '{_blueprint.Name}' was already built; a JourneyBuilder builds once. Start a new one with Journey.When<{typeof(TEvent).Name}>().");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex StepIdPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex ValueNamePattern();

    private sealed record PendingStep(
        string Id,
        string Channel,
        StepTiming Timing,
        Func<string, StepTiming, StepTemplateCompiler, JourneyStep<TEvent>> Create)
    {
        public bool SendsMessage => Channel != "action";
    }
}
