using System.Text.Json;
using Microsoft.Extensions.Options;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Runtime;

/// <summary>Settings of <see cref="JourneyEngine"/>.</summary>
public sealed class JourneyEngineOptions
{
    /// <summary>
    /// How many due instances the engine claims from the store at a time. A store that wants several claims in flight
    /// instead (<see cref="Ports.IConcurrentClaimStore"/>, as PostgreSQL's) is asked for one at a time, by that many claimants at once.
    /// </summary>
    /// <value>The default is 100. Between 1 and 10,000.</value>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// How many steps run at once, so that a slow channel does not hold up other journeys. Use 1 for a strict,
    /// deterministic order (the test harness does). Steps that complete without waiting run one after another; a step
    /// that awaits I/O lets the next ones start meanwhile, so channels must await their I/O, not block their thread.
    /// A step holds its slot for the whole of its channel's call: size this to at least the slowest channel's sends a
    /// second times its call time (50 e-mails a second through a provider that takes 4 s: 200), with room for the
    /// others, or its calls take every slot and every other step waits for one to end.
    /// </summary>
    /// <value>The default is 16. Between 1 and 1,024.</value>
    public int MaxConcurrentSteps { get; set; } = 16;

    /// <summary>How transient failures are retried.</summary>
    public RetryOptions Retry { get; set; } = new();

    /// <summary>How long a channel, action or content provider may take before the attempt counts as a transient failure.</summary>
    /// <value>The default is 30 seconds.</value>
    public NodaTime.Duration SendTimeout { get; set; } = NodaTime.Duration.FromSeconds(30);

    /// <summary>
    /// Caps on how many messages a customer gets across every journey of the engine, per period and channel (or
    /// overall). A capped step is deferred or skipped, per each cap's <see cref="Timing.FrequencyCap.Policy"/>.
    /// </summary>
    /// <value>Empty by default: no cap.</value>
    public IList<Timing.FrequencyCap> FrequencyCaps { get; } = [];

    /// <summary>
    /// Redacts the message of a channel's, an action's or a provider's exception before it is kept on the timeline
    /// (the entry keeps the exception's type and the redacted message).
    /// </summary>
    /// <value>The default is <see cref="ErrorRedaction.RemoveContactDetails"/>: e-mail addresses and phone numbers removed.</value>
    public Func<string, string> RedactError { get; set; } = ErrorRedaction.RemoveContactDetails;

    /// <summary>
    /// How long a finished instance (completed, converted, exited or failed) and its timeline are kept after it ended,
    /// before the purge removes them (<see cref="JourneyEngine.PurgeAsync"/>, run by the hosted worker every
    /// <see cref="PurgeInterval"/>). An instance ends when its attribution window is over, so this counts from then.
    /// Reports cover only what is kept (<see cref="Reports.JourneyReport.CompleteSince"/>).
    /// </summary>
    /// <value>The default is 90 days. <see langword="null"/> keeps them forever. At least 1 day when set.</value>
    public NodaTime.Duration? Retention { get; set; } = NodaTime.Duration.FromDays(90);

    /// <summary>How often the hosted worker runs the retention purge; the first run is one interval after the host starts.</summary>
    /// <value>The default is 1 hour. Positive.</value>
    public NodaTime.Duration PurgeInterval { get; set; } = NodaTime.Duration.FromHours(1);

    /// <summary>How trigger events are written to durable stores.</summary>
    /// <value>The default is <see cref="JourneyJson.DefaultOptions"/>: web defaults with NodaTime support.</value>
    public JsonSerializerOptions EventSerializerOptions { get; set; } = JourneyJson.DefaultOptions;

    /// <summary>A validated copy, so that later changes to the caller's object do not reach a running engine.</summary>
    /// <exception cref="OptionsValidationException">The options are invalid; the message lists every failure.</exception>
    internal JourneyEngineOptions Validated()
    {
        var result = new JourneyEngineOptionsValidator().Validate(Options.DefaultName, this);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(JourneyEngineOptions), result.Failures);
        }

        var copy = new JourneyEngineOptions
        {
            BatchSize = BatchSize,
            MaxConcurrentSteps = MaxConcurrentSteps,
            Retry = Retry.Clone(),
            SendTimeout = SendTimeout,
            RedactError = RedactError,
            EventSerializerOptions = EventSerializerOptions,
            Retention = Retention,
            PurgeInterval = PurgeInterval,
        };
        foreach (var cap in FrequencyCaps)
        {
            copy.FrequencyCaps.Add(cap);
        }

        return copy;
    }
}
