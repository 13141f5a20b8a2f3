using System.Globalization;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Dsl;

/// <summary>What a <see cref="JourneyBuilder{TEvent}"/> has gathered so far, handed to the definition at build time.</summary>
internal sealed class JourneyBlueprint<TEvent>
    where TEvent : class
{
    private static readonly IReadOnlyDictionary<string, object?> NoValues = new Dictionary<string, object?>();

    public required string Name { get; set; }

    public int Version { get; set; } = 1;

    public Func<TEvent, bool>? Filter { get; init; }

    public string? FilterText { get; init; }

    public Func<TEvent, string?>? Correlate { get; set; }

    public Func<TEvent, Customer?>? Customer { get; set; }

    public Func<TEvent, string?>? CustomerId { get; set; }

    public ReentryPolicy ReentryPolicy { get; set; }

    public StepFailurePolicy StepFailurePolicy { get; set; }

    public List<JourneyExitRule> Exits { get; } = [];

    public List<(string Name, Func<StepContext<TEvent>, object?> Compute)> Computed { get; } = [];

    public HashSet<Type> MessageTypes { get; } = [];

    public List<(string Name, Type Type)> Content { get; } = [];

    public CultureInfo? DefaultCulture { get; set; }

    public DateTimeZone? DefaultTimeZone { get; set; }

    /// <summary>Builds what a template sees for one send on one channel; computed values run here, once per send.</summary>
    public TemplateModel CreateTemplateModel(StepContext<TEvent> context, string channel, UnsubscribeLinks? unsubscribeLinks)
    {
        IReadOnlyDictionary<string, object?> values = NoValues;
        if (Computed.Count > 0)
        {
            var computed = new Dictionary<string, object?>(Computed.Count, StringComparer.Ordinal);
            foreach (var (name, compute) in Computed)
            {
                computed[name] = compute(context);
            }

            values = computed;
        }

        return new TemplateModel
        {
            Event = context.Event!,
            Customer = context.Customer,
            Now = context.Now,
            Values = values,
            Content = context.Content,
            Culture = context.Culture,
            TimeZone = context.TimeZone,
            Channel = channel,
            UnsubscribeUrl = context.Customer is { } customer ? unsubscribeLinks?.Create(customer.Id, channel).AbsoluteUri : null,
            Journey = new TemplateJourney
            {
                Name = context.JourneyName,
                Step = context.StepId,
                InstanceId = context.InstanceId.ToString(),
                StartedAt = context.StartedAt,
                Elapsed = context.Elapsed,
            },
        };
    }
}
