namespace Recovery.Journeys.Definition;

/// <summary>One step of a journey definition, as it can be inspected. Immutable.</summary>
/// <remarks>
/// A step is data: what it sends or decides, when, and where the journey goes next. The runtime carries it out
/// (<c>Recovery.Journeys.Runtime</c>); nothing here runs.
/// </remarks>
public abstract class JourneyStep
{
    private protected JourneyStep(string id, StepKind kind, IReadOnlyList<string> channels, ChannelMode mode, StepTiming timing, string? nextStepId)
    {
        Id = id;
        Kind = kind;
        Channels = channels;
        Mode = mode;
        Timing = timing;
        NextStepId = nextStepId;
    }

    /// <summary>The step's stable id, used in idempotency keys, timelines and reports.</summary>
    public string Id { get; }

    /// <summary>What the step does: a message to the customer, a list change, a host action, a coupon, or a control step.</summary>
    public StepKind Kind { get; }

    /// <summary>The channels the step uses, in order (<c>push</c>, <c>email</c>, ...), or what it is (<c>action</c>, <c>coupon</c>, <c>if</c>, <c>wait</c>, <c>experiment</c>).</summary>
    public IReadOnlyList<string> Channels { get; }

    /// <summary>How the step uses its channels.</summary>
    public ChannelMode Mode { get; }

    /// <summary>The step's channels in one word: <c>push</c>, <c>sms|email</c> (fallback) or <c>push+web-push</c> (fan-out).</summary>
    public string Channel => string.Join(Mode == ChannelMode.FanOut ? "+" : "|", Channels);

    /// <summary>When the step is due.</summary>
    public StepTiming Timing { get; }

    /// <summary>The step that follows, or <see langword="null"/> for the last one. A branch, a wait or an experiment goes elsewhere too: see <see cref="Transitions"/>.</summary>
    public string? NextStepId { get; }

    /// <summary>Where the journey can go from this step, each with its label (<c>then</c>, <c>else</c>, <c>event</c>, <c>timeout</c>, a variant, or empty); a <see langword="null"/> target ends the journey.</summary>
    public virtual IReadOnlyList<StepTransition> Transitions => [new(string.Empty, NextStepId)];

    /// <summary>
    /// Whether the step goes through channels (a message, a list change, a webhook), as opposed to a host action, a
    /// coupon or a control step. A holdout skips every such step.
    /// </summary>
    public bool SendsMessages => this is ChannelStep;

    /// <summary>Describes the step, e.g. <c>push-1 (push, +5m after start)</c>.</summary>
    public override string ToString() => $"{Id} ({Channel}, {Timing})";
}
