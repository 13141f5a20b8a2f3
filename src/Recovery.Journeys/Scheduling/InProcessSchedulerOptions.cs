using Microsoft.Extensions.Options;
using NodaTime;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Scheduling;

/// <summary>Settings of <see cref="InProcessJourneyScheduler"/>.</summary>
public sealed class InProcessSchedulerOptions
{
    /// <summary>
    /// The longest the scheduler sleeps without asking the store for due work. It only matters when another process
    /// makes work due in the same store without a signal reaching this one: the store is not an
    /// <see cref="IJourneyWakeUpSource"/>, a signal was lost, or a process died holding claims. Work scheduled in this
    /// process wakes the scheduler at once.
    /// </summary>
    /// <value>The default is 30 seconds.</value>
    public Duration PollInterval { get; set; } = Duration.FromSeconds(30);

    /// <summary>How long the scheduler waits after its loop failed (the store unreachable) before it tries again.</summary>
    /// <value>The default is 5 seconds.</value>
    public Duration ErrorBackoff { get; set; } = Duration.FromSeconds(5);

    /// <summary>A validated copy, so that later changes to the caller's object do not reach a running scheduler.</summary>
    /// <exception cref="OptionsValidationException">The options are invalid; the message lists every failure.</exception>
    internal InProcessSchedulerOptions Validated()
    {
        var result = new InProcessSchedulerOptionsValidator().Validate(Options.DefaultName, this);
        return result.Failed
            ? throw new OptionsValidationException(Options.DefaultName, typeof(InProcessSchedulerOptions), result.Failures)
            : (InProcessSchedulerOptions)MemberwiseClone();
    }
}
