using System.Runtime.CompilerServices;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Coupons;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime.Steps;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Dsl;

/// <summary>
/// The steps of a journey, or of one path of a branch: timings, messages, host actions, branches, waits and coupons.
/// Each call is checked as it is made; errors name the journey and the step.
/// </summary>
/// <typeparam name="TEvent">The journey's trigger event type.</typeparam>
/// <typeparam name="TSelf">The concrete builder, returned by every call.</typeparam>
public abstract class StepsBuilder<TEvent, TSelf>
    where TEvent : class
    where TSelf : StepsBuilder<TEvent, TSelf>
{
    private (StepTiming Timing, string Call)? _pendingTiming;
    private Duration _earliestOffset;

    private protected StepsBuilder(BuilderScope<TEvent> scope, Duration earliestOffset)
    {
        Scope = scope;
        _earliestOffset = earliestOffset;
    }

    private protected BuilderScope<TEvent> Scope { get; }

    private protected List<StepNode<TEvent>> Nodes { get; } = [];

    private protected (StepTiming Timing, string Call)? PendingTiming => _pendingTiming;

    private protected Duration EarliestOffset => _earliestOffset;

    private TSelf Self => (TSelf)this;

    /// <summary>Delays the next step by <paramref name="delay"/> after the previous step ran (after the start, for the first step).</summary>
    /// <param name="delay">A positive duration, e.g. <c>5.Minutes()</c>.</param>
    public TSelf After(Duration delay) => SetTiming(new StepTiming(StepTimingAnchor.PreviousStep, delay), $"After({DurationText.Format(delay)})");

    /// <summary>
    /// Makes the next step due <paramref name="delay"/> after the journey started, whenever the previous steps ran:
    /// "+5 min, +1 h, +24 h after abandonment". It may not come before an earlier step's own time.
    /// </summary>
    /// <param name="delay">A positive duration from the start.</param>
    public TSelf AfterStart(Duration delay) => SetTiming(new StepTiming(StepTimingAnchor.JourneyStart, delay), $"AfterStart({DurationText.Format(delay)})");

    /// <summary>
    /// Makes the next step due at the next <paramref name="timeOfDay"/> in the customer's time zone (the zone known
    /// when the journey started, else the journey's default), at least <paramref name="notBefore"/> after the previous step.
    /// </summary>
    /// <remarks>
    /// A local time skipped by a DST change (02:30 when clocks jump from 02:00 to 03:00) means the end of the gap
    /// (03:00); a local time that happens twice (clocks going back) means its first occurrence.
    /// </remarks>
    /// <param name="timeOfDay">The local time, e.g. <c>new LocalTime(10, 0)</c>.</param>
    /// <param name="notBefore">The least delay after the previous step; zero by default.</param>
    public TSelf AtLocalTime(LocalTime timeOfDay, Duration notBefore = default) =>
        notBefore < Duration.Zero
            ? throw Scope.Fail(NextStepLabel(), $"AtLocalTime's delay must not be negative, was {DurationText.Format(notBefore)}")
            : SetTiming(StepTiming.AtLocalTime(timeOfDay, notBefore), $"AtLocalTime({timeOfDay:HH:mm})");

    /// <summary>Reads as a separator between steps (<c>.Push(...).Then().After(1.Hours()).Email(...)</c>); it changes nothing.</summary>
    public TSelf Then()
    {
        Scope.EnsureNotBuilt();
        return Self;
    }

    /// <summary>Sends an app push notification to the customer.</summary>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public TSelf Push(Action<PushMessageBuilder> configure) => Push(null, configure);

    /// <summary>Sends an app push notification to the customer, as a step with the given id.</summary>
    /// <param name="stepId">The step's stable id; the default is <c>push-1</c>, <c>push-2</c>, ...</param>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public TSelf Push(string? stepId, Action<PushMessageBuilder> configure) => Single(stepId, configure, c => c.Push(configure));

    /// <summary>Sends a browser push notification to the customer.</summary>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public TSelf WebPush(Action<WebPushMessageBuilder> configure) => WebPush(null, configure);

    /// <summary>Sends a browser push notification to the customer, as a step with the given id.</summary>
    /// <param name="stepId">The step's stable id; the default is <c>web-push-1</c>, ...</param>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public TSelf WebPush(string? stepId, Action<WebPushMessageBuilder> configure) => Single(stepId, configure, c => c.WebPush(configure));

    /// <summary>Sends an e-mail to the customer.</summary>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public TSelf Email(Action<EmailMessageBuilder> configure) => Email(null, configure);

    /// <summary>Sends an e-mail to the customer, as a step with the given id.</summary>
    /// <param name="stepId">The step's stable id; the default is <c>email-1</c>, <c>email-2</c>, ...</param>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public TSelf Email(string? stepId, Action<EmailMessageBuilder> configure) => Single(stepId, configure, c => c.Email(configure));

    /// <summary>Sends an SMS to the customer.</summary>
    /// <param name="configure">Describes the message; its text is a template.</param>
    public TSelf Sms(Action<SmsMessageBuilder> configure) => Sms(null, configure);

    /// <summary>Sends an SMS to the customer, as a step with the given id.</summary>
    /// <param name="stepId">The step's stable id; the default is <c>sms-1</c>, <c>sms-2</c>, ...</param>
    /// <param name="configure">Describes the message; its text is a template.</param>
    public TSelf Sms(string? stepId, Action<SmsMessageBuilder> configure) => Single(stepId, configure, c => c.Sms(configure));

    /// <summary>Sends a chat message to the customer.</summary>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public TSelf Chat(Action<ChatMessageBuilder> configure) => Chat(null, configure);

    /// <summary>Sends a chat message to the customer, as a step with the given id.</summary>
    /// <param name="stepId">The step's stable id; the default is <c>chat-1</c>, ...</param>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public TSelf Chat(string? stepId, Action<ChatMessageBuilder> configure) => Single(stepId, configure, c => c.Chat(configure));

    /// <summary>Shows the customer an on-site or in-app message on their next visit (exit intent, banner).</summary>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public TSelf OnSite(Action<OnSiteMessageBuilder> configure) => OnSite(null, configure);

    /// <summary>Shows the customer an on-site or in-app message, as a step with the given id.</summary>
    /// <param name="stepId">The step's stable id; the default is <c>on-site-1</c>, ...</param>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public TSelf OnSite(string? stepId, Action<OnSiteMessageBuilder> configure) => Single(stepId, configure, c => c.OnSite(configure));

    /// <summary>Adds the customer to a retargeting-ad audience.</summary>
    /// <param name="audience">The audience's name or id at the ad platform.</param>
    /// <param name="stepId">The step's stable id; the default is <c>ad-audience-1</c>, ...</param>
    public TSelf AddToAudience(string audience, string? stepId = null) => Single(stepId, audience, c => c.AddToAudience(audience));

    /// <summary>Removes the customer from a retargeting-ad audience.</summary>
    /// <param name="audience">The audience's name or id at the ad platform.</param>
    /// <param name="stepId">The step's stable id; the default is <c>ad-audience-1</c>, ...</param>
    public TSelf RemoveFromAudience(string audience, string? stepId = null) => Single(stepId, audience, c => c.RemoveFromAudience(audience));

    /// <summary>Adds the customer to a CRM contact list (a coupon-eligibility list, say).</summary>
    /// <param name="list">The list's name or id in the CRM.</param>
    /// <param name="stepId">The step's stable id; the default is <c>crm-list-1</c>, ...</param>
    public TSelf AddToCrmList(string list, string? stepId = null) => Single(stepId, list, c => c.AddToCrmList(list));

    /// <summary>Removes the customer from a CRM contact list.</summary>
    /// <param name="list">The list's name or id in the CRM.</param>
    /// <param name="stepId">The step's stable id; the default is <c>crm-list-1</c>, ...</param>
    public TSelf RemoveFromCrmList(string list, string? stepId = null) => Single(stepId, list, c => c.RemoveFromCrmList(list));

    /// <summary>Calls a webhook: a POST of <paramref name="payload"/>, written as JSON, to <paramref name="url"/>.</summary>
    /// <param name="url">The endpoint, an absolute http or https URL.</param>
    /// <param name="payload">Builds the object to send for one run.</param>
    /// <param name="stepId">The step's stable id; the default is <c>webhook-1</c>, ...</param>
    public TSelf Webhook(string url, Func<StepContext<TEvent>, object> payload, string? stepId = null) => Single(stepId, payload, c => c.Webhook(url, payload));

    /// <summary>Sends a message of a host-defined kind through the host's <see cref="IChannel{TMessage}"/>.</summary>
    /// <typeparam name="TMessage">The message kind; name its channel with <see cref="ChannelNameAttribute"/>.</typeparam>
    /// <param name="compose">Builds the message for one send.</param>
    public TSelf Send<TMessage>(Func<StepContext<TEvent>, TMessage> compose)
        where TMessage : class => Send(null, compose);

    /// <summary>Sends a message of a host-defined kind, as a step with the given id.</summary>
    /// <typeparam name="TMessage">The message kind.</typeparam>
    /// <param name="stepId">The step's stable id; the default is the channel name and a number.</param>
    /// <param name="compose">Builds the message for one send.</param>
    public TSelf Send<TMessage>(string? stepId, Func<StepContext<TEvent>, TMessage> compose)
        where TMessage : class => Single(stepId, compose, c => c.Send(compose));

    /// <summary>
    /// Sends on the first of several channels that reaches the customer and works: <c>.Fallback(c =&gt; c.Sms(...).Email(...))</c>
    /// is "SMS, or e-mail if there is no phone number". A channel is passed over when the customer cannot be reached
    /// on it, opted out of it, or it failed for good (after its retries).
    /// </summary>
    /// <param name="channels">The channels, in order of preference.</param>
    public TSelf Fallback(Action<ChannelSetBuilder<TEvent>> channels) => Fallback(null, channels);

    /// <summary>Sends on the first of several channels that works, as a step with the given id.</summary>
    /// <param name="stepId">The step's stable id; the default is <c>fallback-1</c>, ...</param>
    /// <param name="channels">The channels, in order of preference.</param>
    public TSelf Fallback(string? stepId, Action<ChannelSetBuilder<TEvent>> channels) => AddMessageStep(stepId, "fallback", ChannelMode.Fallback, channels);

    /// <summary>
    /// Sends on every channel the customer can be reached on, together: <c>.FanOut(c =&gt; c.Push(...).WebPush(...))</c>.
    /// Each channel gets its own idempotency key (<c>{instance}:{step}:{channel}</c>); on a retry, channels already done are not sent again.
    /// </summary>
    /// <param name="channels">The channels.</param>
    public TSelf FanOut(Action<ChannelSetBuilder<TEvent>> channels) => FanOut(null, channels);

    /// <summary>Sends on every channel the customer can be reached on, as a step with the given id.</summary>
    /// <param name="stepId">The step's stable id; the default is <c>fan-out-1</c>, ...</param>
    /// <param name="channels">The channels.</param>
    public TSelf FanOut(string? stepId, Action<ChannelSetBuilder<TEvent>> channels) => AddMessageStep(stepId, "fan-out", ChannelMode.FanOut, channels);

    /// <summary>Runs a host action, e.g. adding the customer to a CRM list. A throw is retried, then recorded as the step's failure.</summary>
    /// <param name="action">The action.</param>
    public TSelf Do(Func<StepContext<TEvent>, CancellationToken, ValueTask> action) => Do(null, action);

    /// <summary>Runs a host action, as a step with the given id.</summary>
    /// <param name="stepId">The step's stable id; the default is <c>action-1</c>, <c>action-2</c>, ...</param>
    /// <param name="action">The action.</param>
    public TSelf Do(string? stepId, Func<StepContext<TEvent>, CancellationToken, ValueTask> action)
    {
        Scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(action);
        return AddLeaf(stepId ?? Scope.DefaultStepId("action"), "action", (id, timing, _) => new ActionStep<TEvent>(id, timing, action));
    }

    /// <summary>
    /// Branches on the event, the customer or the journey's state: <c>.If(c =&gt; c.Event.Stage == Stage.Payment).Then(...).Else(...)</c>.
    /// Both paths meet again at the step after the branch.
    /// </summary>
    /// <param name="condition">Evaluated when the branch is reached; if it throws, the failure is recorded and the <c>Else</c> path is taken.</param>
    /// <param name="stepId">The branch's stable id; the default is <c>if-1</c>, ...</param>
    /// <param name="conditionText">Filled in by the compiler with the condition's source text, for diagrams.</param>
    /// <returns>The branch, to give its paths.</returns>
    public BranchBuilder<TEvent, TSelf> If(
        Func<StepContext<TEvent>, bool> condition,
        string? stepId = null,
        [CallerArgumentExpression(nameof(condition))] string? conditionText = null)
    {
        Scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(condition);
        var id = stepId ?? Scope.DefaultStepId("if");
        var (timing, earliest) = TakeTiming(id, "if");
        return new BranchBuilder<TEvent, TSelf>(Scope, earliest, (thenPath, elsePath) =>
            AddNode(new ForkNode<TEvent>(id, "if", timing, [thenPath.Nodes, elsePath.Nodes], (stepId, t, targets) =>
                new BranchStep<TEvent>(stepId, t, condition, conditionText ?? "condition", targets[0], targets[1])), Duration.Min(thenPath.EarliestOffset, elsePath.EarliestOffset)));
    }

    /// <summary>
    /// Waits for an event with the same correlation key, at most <paramref name="timeout"/>: the journey goes on along
    /// <c>OnEvent</c>'s path if it arrives in time, along <c>OnTimeout</c>'s path if not. Events that arrive before the
    /// wait begins do not count.
    /// </summary>
    /// <typeparam name="TAwaited">The awaited event type.</typeparam>
    /// <param name="correlationKey">Selects the key from the awaited event; it must match the journey's own.</param>
    /// <param name="timeout">How long to wait; positive.</param>
    /// <param name="stepId">The wait's stable id; the default is <c>wait-1</c>, ...</param>
    /// <returns>The wait, to give its paths.</returns>
    public WaitBuilder<TEvent, TSelf> WaitFor<TAwaited>(Func<TAwaited, string?> correlationKey, Duration timeout, string? stepId = null)
        where TAwaited : class
    {
        Scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(correlationKey);
        var id = stepId ?? Scope.DefaultStepId("wait");
        if (timeout <= Duration.Zero)
        {
            throw Scope.Fail(id, $"the wait's timeout must be positive, was {DurationText.Format(timeout)}");
        }

        var (timing, earliest) = TakeTiming(id, "wait");
        Scope.Blueprint.Waits.Add(new KeyedEventRule(typeof(TAwaited), e => correlationKey((TAwaited)e), id));
        return new WaitBuilder<TEvent, TSelf>(Scope, earliest, timeout, (onEvent, onTimeout) =>
            AddNode(new ForkNode<TEvent>(id, "wait", timing, [onEvent.Nodes, onTimeout.Nodes], (stepId, t, targets) =>
                new WaitStep<TEvent>(stepId, t, typeof(TAwaited), timeout, targets[0], targets[1])), Duration.Min(onEvent.EarliestOffset, onTimeout.EarliestOffset)));
    }

    /// <summary>
    /// Splits the journey into variants that each get a share of the customers (an A/B test, or a new timing rolled out
    /// to 10 % first): <c>.Experiment("push-text", e =&gt; e.Variant("A", 50, p =&gt; p.Push(...)).Variant("B", 50, p =&gt; p.Push(...)))</c>.
    /// Every variant's path meets again at the step after the experiment.
    /// </summary>
    /// <remarks>
    /// A customer's variant comes from a stable hash of the journey's name, the experiment's name and the customer id
    /// (the correlation key for a journey that names no customer): the same in every process and after every restart,
    /// and independent of the customer's variant in other experiments. It is kept among the instance's variables
    /// (<c>experiment.{name}</c>) and recorded on its timeline when the experiment's step is reached.
    /// </remarks>
    /// <param name="name">The experiment's name, which is also its step's id: 1 to 64 letters, digits, '.', '-' or '_'.</param>
    /// <param name="variants">Adds the variants; at least two, their weights adding up to 100.</param>
    public TSelf Experiment(string name, Action<ExperimentBuilder<TEvent>> variants)
    {
        Scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(variants);
        var (timing, earliest) = TakeTiming(name, Experiments.ExperimentVariables.Channel);
        var experiment = new ExperimentBuilder<TEvent>(Scope, name, earliest);
        variants(experiment);
        var paths = experiment.Complete();
        var declared = paths.Select(p => p.Variant).ToList();
        Scope.Blueprint.Experiments.Add(new JourneyExperiment(name, declared));
        return AddNode(
            new ForkNode<TEvent>(name, Experiments.ExperimentVariables.Channel, timing, paths.Select(p => p.Path.Nodes).ToList(), (stepId, t, targets) =>
                new Experiments.ExperimentStep<TEvent>(stepId, t, declared, targets)),
            paths.Min(p => p.Path.EarliestOffset));
    }

    /// <summary>
    /// Issues the customer a personal coupon: a code from the host's <c>ICouponService</c> (or a random, unguessable
    /// one), with a discount and an expiry, visible to later templates as <c>{{coupon.code}}</c>, <c>{{coupon.discount}}</c>, ...
    /// </summary>
    /// <param name="configure">The coupon's name, discount, validity and incentive-abuse guards.</param>
    /// <param name="stepId">The step's stable id; the default is <c>coupon-1</c>, ...</param>
    public TSelf IssueCoupon(Action<CouponBuilder<TEvent>> configure, string? stepId = null)
    {
        Scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(configure);
        var id = stepId ?? Scope.DefaultStepId("coupon");
        var coupon = new CouponBuilder<TEvent>();
        configure(coupon);
        if (coupon.Missing() is { } missing)
        {
            throw Scope.Fail(id, missing);
        }

        Scope.Blueprint.IssuesCoupons = true;
        var settings = coupon.Build();
        Scope.Blueprint.CouponPrice ??= settings.Price;
        Scope.Blueprint.CouponDiscount ??= settings.Discount;
        return AddLeaf(id, "coupon", (stepIdentity, timing, _) => new CouponStep<TEvent>(stepIdentity, timing, CouponOperation.Issue, settings, null, CouponStacking.Replace));
    }

    /// <summary>
    /// Raises the offer of the coupon issued earlier (S1's extra 10 %), by the given stacking rule, and tells the
    /// host's coupon service. Skipped when no coupon was issued (withheld by a guard).
    /// </summary>
    /// <param name="discount">The extra discount.</param>
    /// <param name="stacking">How it combines with the current one: added, compounded, or replacing it.</param>
    /// <param name="stepId">The step's stable id; the default is <c>coupon-1</c>, ...</param>
    public TSelf RaiseCoupon(CouponDiscount discount, CouponStacking stacking, string? stepId = null)
    {
        Scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(discount);
        var id = stepId ?? Scope.DefaultStepId("coupon");
        if (Scope.Blueprint.CouponDiscount is not { } issued)
        {
            throw Scope.Fail(id, "RaiseCoupon needs an IssueCoupon step before it");
        }

        try
        {
            issued.Stack(discount, stacking);
        }
        catch (InvalidOperationException e)
        {
            throw Scope.Fail(id, $"the raise cannot apply to the coupon issued: {e.Message}");
        }

        return AddLeaf(id, "coupon", (stepIdentity, timing, _) => new CouponStep<TEvent>(stepIdentity, timing, CouponOperation.Raise, null, discount, stacking));
    }

    /// <summary>Revokes the coupon issued earlier and tells the host's coupon service, so the code stops working. Skipped when there is none.</summary>
    /// <param name="stepId">The step's stable id; the default is <c>coupon-1</c>, ...</param>
    public TSelf RevokeCoupon(string? stepId = null)
    {
        Scope.EnsureNotBuilt();
        var id = stepId ?? Scope.DefaultStepId("coupon");
        if (!Scope.Blueprint.IssuesCoupons)
        {
            throw Scope.Fail(id, "RevokeCoupon needs an IssueCoupon step before it");
        }

        return AddLeaf(id, "coupon", (stepIdentity, timing, _) => new CouponStep<TEvent>(stepIdentity, timing, CouponOperation.Revoke, null, null, CouponStacking.Replace));
    }

    private protected string NextStepLabel() => $"#{Nodes.Count + 1}";

    private TSelf SetTiming(StepTiming timing, string call)
    {
        Scope.EnsureNotBuilt();
        if (_pendingTiming is { } pending)
        {
            throw Scope.Fail(NextStepLabel(), $"{call} follows {pending.Call} without a step between them");
        }

        _pendingTiming = (timing, call);
        return Self;
    }

    private TSelf Single(string? stepId, object? argument, Action<ChannelSetBuilder<TEvent>> add)
    {
        Scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(argument);
        return AddMessageStep(stepId, null, ChannelMode.Single, add);
    }

    private TSelf AddMessageStep(string? stepId, string? kind, ChannelMode mode, Action<ChannelSetBuilder<TEvent>> add)
    {
        Scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(add);
        var set = new ChannelSetBuilder<TEvent>(Scope.Blueprint);
        add(set);
        var members = set.Members;
        kind ??= members.FirstOrDefault()?.Channel ?? "message";
        var id = stepId ?? Scope.DefaultStepId(kind);
        if (members.Count == 0)
        {
            throw Scope.Fail(id, "the step lists no channel");
        }

        if (members.Find(m => m.Missing is not null) is { } incomplete)
        {
            throw Scope.Fail(id, incomplete.Missing!);
        }

        if (members.GroupBy(m => m.Channel).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw Scope.Fail(id, $"the {twice.Key} channel is listed twice; a step uses each channel once");
        }

        foreach (var member in members)
        {
            Scope.Blueprint.MessageTypes.Add(member.MessageType);
        }

        return AddLeaf(id, kind, (stepIdentity, timing, compiler) =>
            new MessageStep<TEvent>(stepIdentity, timing, mode, members.Select(m => m.Create(compiler)).ToList()));
    }

    private TSelf AddLeaf(string id, string kind, Func<string, StepTiming, StepTemplateCompiler, JourneyStep<TEvent>> create)
    {
        var (timing, earliest) = TakeTiming(id, kind);
        return AddNode(new LeafNode<TEvent>(id, kind, timing, create), earliest);
    }

    private TSelf AddNode(StepNode<TEvent> node, Duration earliest)
    {
        Nodes.Add(node);
        _earliestOffset = earliest;
        return Self;
    }

    /// <summary>Takes the pending timing for the step being added, after checking it and claiming the step's id.</summary>
    private (StepTiming Timing, Duration Earliest) TakeTiming(string id, string kind)
    {
        Scope.Claim(id, kind);
        var timing = _pendingTiming?.Timing ?? StepTiming.Immediately;
        if (_pendingTiming is { } pending && pending.Timing.Delay <= Duration.Zero && pending.Timing.Anchor != StepTimingAnchor.LocalTimeOfDay)
        {
            throw Scope.Fail(id, $"{pending.Call} needs a positive delay; leave it out to run the step right after the previous one");
        }

        // The earliest offset from the start at which the step can run, to catch AfterStart going back in time.
        var earliest = timing.Anchor == StepTimingAnchor.JourneyStart ? timing.Delay : _earliestOffset + timing.Delay;
        if (earliest < _earliestOffset)
        {
            var previous = Nodes.Count > 0 ? $"the previous step '{Nodes[^1].Id}'" : "the steps before it";
            throw Scope.Fail(id, $"{_pendingTiming!.Value.Call} would be due before {previous} (at +{DurationText.Format(_earliestOffset)} after start)");
        }

        _pendingTiming = null;
        return (timing, earliest);
    }
}
