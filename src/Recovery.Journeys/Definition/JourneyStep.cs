using Recovery.Journeys.Runtime;
using Recovery.Journeys.Runtime.Steps;

namespace Recovery.Journeys.Definition;

/// <summary>How a step with several channels uses them.</summary>
public enum ChannelMode
{
    /// <summary>One channel (or a host action).</summary>
    Single = 0,

    /// <summary>The first channel the customer can be reached on and that works: "SMS, or e-mail if there is no phone number".</summary>
    Fallback = 1,

    /// <summary>Every channel the customer can be reached on, together: "app push and browser push".</summary>
    FanOut = 2,
}

/// <summary>One step of a journey definition, as it can be inspected. Immutable.</summary>
public abstract class JourneyStep
{
    private protected JourneyStep(string id, IReadOnlyList<string> channels, ChannelMode mode, StepTiming timing)
    {
        Id = id;
        Channels = channels;
        Mode = mode;
        Timing = timing;
    }

    /// <summary>The step's stable id, used in idempotency keys, timelines and reports.</summary>
    public string Id { get; }

    /// <summary>The channels the step uses, in order (<c>push</c>, <c>email</c>, ...), or <c>action</c> for a host action.</summary>
    public IReadOnlyList<string> Channels { get; }

    /// <summary>How the step uses its channels.</summary>
    public ChannelMode Mode { get; }

    /// <summary>The step's channels in one word: <c>push</c>, <c>sms|email</c> (fallback) or <c>push+web-push</c> (fan-out).</summary>
    public string Channel => string.Join(Mode == ChannelMode.FanOut ? "+" : "|", Channels);

    /// <summary>When the step is due.</summary>
    public StepTiming Timing { get; }

    /// <summary>The step that follows, or <see langword="null"/> for the last one. A branch or a wait goes elsewhere too: see <see cref="Transitions"/>.</summary>
    public string? NextStepId { get; internal set; }

    /// <summary>Where the journey can go from this step, each with its label (<c>then</c>, <c>else</c>, <c>event</c>, <c>timeout</c>, or empty); a <see langword="null"/> target ends the journey.</summary>
    public virtual IReadOnlyList<StepTransition> Transitions => [new(string.Empty, NextStepId)];

    /// <summary>Whether the step sends messages to the customer (as opposed to a host action or a control step).</summary>
    public virtual bool SendsMessages => false;

    /// <summary>Describes the step, e.g. <c>push-1 (push, +5m after start)</c>.</summary>
    public override string ToString() => $"{Id} ({Channel}, {Timing})";
}

/// <summary>A way out of a step.</summary>
/// <param name="Label">What takes it: empty for the only way, <c>then</c>/<c>else</c> for a branch, <c>event</c>/<c>timeout</c> for a wait.</param>
/// <param name="TargetStepId">The step it leads to, or <see langword="null"/> when it ends the journey.</param>
public readonly record struct StepTransition(string Label, string? TargetStepId);

/// <summary>A step that runs with the typed trigger event.</summary>
internal abstract class JourneyStep<TEvent> : JourneyStep
{
    protected JourneyStep(string id, IReadOnlyList<string> channels, ChannelMode mode, StepTiming timing)
        : base(id, channels, mode, timing)
    {
    }

    public abstract ValueTask<StepResult> RunAsync(StepRun<TEvent> run, CancellationToken cancellationToken);
}
