using System.Runtime.CompilerServices;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Dsl;

/// <summary>
/// The steps of a journey, or of one path of a branch, a wait or an experiment. The builder itself knows the grammar:
/// when each step is due, a message of any kind (<see cref="Send{TMessage}(Func{StepContext{TEvent}, TMessage})"/>),
/// host actions, branches and waits. Features bring their own verbs as extension methods: <see cref="MessageSteps"/>
/// (push, e-mail, SMS, chat, on-site, lists, webhooks, fallback and fan-out), <see cref="CouponSteps"/> and
/// <see cref="ExperimentSteps"/>. Each call is checked as it is made; errors name the journey and the step.
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

    internal BuilderScope<TEvent> Scope { get; }

    internal List<StepNode> Nodes { get; } = [];

    internal (StepTiming Timing, string Call)? PendingTiming => _pendingTiming;

    internal Duration EarliestOffset => _earliestOffset;

    internal TSelf Self => (TSelf)this;

    /// <summary>Delays the next step by <paramref name="delay"/> after the previous step ran (after the start, for the first step).</summary>
    /// <param name="delay">A positive duration, e.g. <c>5.Minutes()</c>.</param>
    public TSelf After(Duration delay) => SetTiming(new StepTiming(StepTimingAnchor.PreviousStep, delay), $"After({DurationText.Format(delay)})");

    /// <summary>Delays the next step by <paramref name="delay"/> after the previous step ran.</summary>
    /// <param name="delay">A positive duration, e.g. <c>TimeSpan.FromMinutes(5)</c>.</param>
    public TSelf After(TimeSpan delay) => After(Duration.FromTimeSpan(delay));

    /// <summary>
    /// Makes the next step due <paramref name="delay"/> after the journey started, whenever the previous steps ran:
    /// "+5 min, +1 h, +24 h after abandonment". It may not come before an earlier step's own time.
    /// </summary>
    /// <param name="delay">A positive duration from the start.</param>
    public TSelf AfterStart(Duration delay) => SetTiming(new StepTiming(StepTimingAnchor.JourneyStart, delay), $"AfterStart({DurationText.Format(delay)})");

    /// <summary>Makes the next step due <paramref name="delay"/> after the journey started.</summary>
    /// <param name="delay">A positive duration from the start, e.g. <c>TimeSpan.FromHours(1)</c>.</param>
    public TSelf AfterStart(TimeSpan delay) => AfterStart(Duration.FromTimeSpan(delay));

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

    /// <summary>Makes the next step due at the next <paramref name="timeOfDay"/> in the customer's time zone, at least <paramref name="notBefore"/> after the previous step.</summary>
    /// <param name="timeOfDay">The local time, e.g. <c>new LocalTime(10, 0)</c>.</param>
    /// <param name="notBefore">The least delay after the previous step.</param>
    public TSelf AtLocalTime(LocalTime timeOfDay, TimeSpan notBefore) => AtLocalTime(timeOfDay, Duration.FromTimeSpan(notBefore));

    /// <summary>
    /// Skips the step just added when it would run more than <paramref name="limit"/> after it fell due (after an
    /// outage, a crash or a long deferral: "only 15 minutes left" is wrong three hours late); the reason goes on the
    /// timeline and the journey moves on. Called on the journey before its first step, it sets the default for every
    /// message to the customer. By default a late step is sent late.
    /// </summary>
    /// <param name="limit">A positive duration.</param>
    public TSelf SkipIfLaterThan(Duration limit)
    {
        Scope.EnsureNotBuilt();
        if (limit <= Duration.Zero)
        {
            throw Scope.Fail(Nodes.Count > 0 ? Nodes[^1].Id : null, $"SkipIfLaterThan needs a positive limit, was {DurationText.Format(limit)}");
        }

        Scope.WithinCeiling(Nodes.Count > 0 ? Nodes[^1].Id : null, "SkipIfLaterThan's limit", limit);
        if (Nodes.Count == 0)
        {
            if (this is not JourneyBuilder<TEvent> || _pendingTiming is not null)
            {
                throw Scope.Fail(NextStepLabel(), "SkipIfLaterThan applies to the step before it (or, before a journey's first step, to the whole journey); there is no step before it here");
            }

            Scope.Blueprint.MaxLateness = limit;
            return Self;
        }

        if (_pendingTiming is { } pending)
        {
            throw Scope.Fail(NextStepLabel(), $"SkipIfLaterThan follows {pending.Call}: put it after the step it applies to");
        }

        Nodes[^1] = Nodes[^1] with { Timing = Nodes[^1].Timing with { MaxLateness = limit } };
        return Self;
    }

    /// <summary>Skips the step just added when it would run more than <paramref name="limit"/> after it fell due.</summary>
    /// <param name="limit">A positive duration.</param>
    public TSelf SkipIfLaterThan(TimeSpan limit) => SkipIfLaterThan(Duration.FromTimeSpan(limit));

    /// <summary>Reads as a separator between steps (<c>.Push(...).Then().After(1.Hours()).Email(...)</c>); it changes nothing.</summary>
    public TSelf Then()
    {
        Scope.EnsureNotBuilt();
        return Self;
    }

    /// <summary>Sends a message of a host-defined kind through the host's <see cref="IChannel{TMessage}"/>.</summary>
    /// <typeparam name="TMessage">The message kind; name its channel with <see cref="ChannelNameAttribute"/>, its contact with <see cref="RequiresContactAttribute"/>.</typeparam>
    /// <param name="compose">Builds the message for one send.</param>
    public TSelf Send<TMessage>(Func<StepContext<TEvent>, TMessage> compose)
        where TMessage : class => Send(null, compose);

    /// <summary>Sends a message of a host-defined kind, as a step with the given id.</summary>
    /// <typeparam name="TMessage">The message kind.</typeparam>
    /// <param name="stepId">The step's stable id; the default is the channel name and a number.</param>
    /// <param name="compose">Builds the message for one send.</param>
    public TSelf Send<TMessage>(string? stepId, Func<StepContext<TEvent>, TMessage> compose)
        where TMessage : class
    {
        Scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(compose);
        return AddChannelStep(stepId, null, ChannelMode.Single, c => c.Send(compose));
    }

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
        return AddLeaf(stepId ?? Scope.DefaultStepId(ActionStep<TEvent>.Channel), ActionStep<TEvent>.Channel, usesChannels: false, (id, timing, next, _) => new ActionStep<TEvent>(id, timing, next, action));
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
        var id = stepId ?? Scope.DefaultStepId(BranchStep<TEvent>.Channel);
        var (timing, earliest) = TakeTiming(id, BranchStep<TEvent>.Channel);
        return new BranchBuilder<TEvent, TSelf>(Scope, earliest, (thenPath, elsePath) =>
            AddNode(
                new ForkNode(id, BranchStep<TEvent>.Channel, timing, [thenPath.Nodes, elsePath.Nodes], (stepId, t, next, targets) =>
                    new BranchStep<TEvent>(stepId, t, next, condition, conditionText ?? "condition", targets[0], targets[1])),
                Duration.Min(thenPath.EarliestOffset, elsePath.EarliestOffset)));
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
        var id = stepId ?? Scope.DefaultStepId(WaitStep.Channel);
        if (timeout <= Duration.Zero)
        {
            throw Scope.Fail(id, $"the wait's timeout must be positive, was {DurationText.Format(timeout)}");
        }

        Scope.WithinCeiling(id, "the wait's timeout", timeout);
        var (timing, earliest) = TakeTiming(id, WaitStep.Channel);
        Scope.Blueprint.Waits.Add(new KeyedEventRule(typeof(TAwaited), e => correlationKey((TAwaited)e), id));
        return new WaitBuilder<TEvent, TSelf>(Scope, earliest, timeout, (onEvent, onTimeout) =>
            AddNode(
                new ForkNode(id, WaitStep.Channel, timing, [onEvent.Nodes, onTimeout.Nodes], (stepId, t, next, targets) =>
                    new WaitStep(stepId, t, next, typeof(TAwaited), timeout, targets[0], targets[1])),
                Duration.Min(onEvent.EarliestOffset, onTimeout.EarliestOffset)));
    }

    /// <summary>Waits for an event with the same correlation key, at most <paramref name="timeout"/>.</summary>
    /// <typeparam name="TAwaited">The awaited event type.</typeparam>
    /// <param name="correlationKey">Selects the key from the awaited event.</param>
    /// <param name="timeout">How long to wait; positive.</param>
    /// <param name="stepId">The wait's stable id.</param>
    /// <returns>The wait, to give its paths.</returns>
    public WaitBuilder<TEvent, TSelf> WaitFor<TAwaited>(Func<TAwaited, string?> correlationKey, TimeSpan timeout, string? stepId = null)
        where TAwaited : class => WaitFor(correlationKey, Duration.FromTimeSpan(timeout), stepId);

    internal string NextStepLabel() => $"#{Nodes.Count + 1}";

    /// <summary>Adds a step that goes through the channels <paramref name="add"/> lists.</summary>
    internal TSelf AddChannelStep(string? stepId, string? label, ChannelMode mode, Action<ChannelSetBuilder<TEvent>> add)
    {
        Scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(add);
        var set = new ChannelSetBuilder<TEvent>();
        add(set);
        var members = set.Members;
        label ??= members.FirstOrDefault()?.Channel ?? "message";
        var id = stepId ?? Scope.DefaultStepId(label);
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

        return AddLeaf(id, label, usesChannels: true, (stepIdentity, timing, next, compiler) =>
            new ChannelStep<TEvent>(stepIdentity, mode, timing, next, members.Select(m => m.Create(compiler)).ToList()));
    }

    /// <summary>Adds a step that becomes one step of the definition, timed by the pending timing.</summary>
    internal TSelf AddLeaf(string id, string label, bool usesChannels, Func<string, StepTiming, string?, StepTemplateCompiler, JourneyStep> create)
    {
        var (timing, earliest) = TakeTiming(id, label);
        return AddNode(new LeafNode(id, label, timing, usesChannels, create), earliest);
    }

    internal TSelf AddNode(StepNode node, Duration earliest)
    {
        Nodes.Add(node);
        _earliestOffset = earliest;
        return Self;
    }

    /// <summary>Takes the pending timing for the step being added, after checking it and claiming the step's id.</summary>
    internal (StepTiming Timing, Duration Earliest) TakeTiming(string id, string label)
    {
        Scope.Claim(id, label);
        var timing = _pendingTiming?.Timing ?? StepTiming.Immediately;
        Scope.WithinCeiling(id, _pendingTiming?.Call ?? "the delay", timing.Delay);
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
}
