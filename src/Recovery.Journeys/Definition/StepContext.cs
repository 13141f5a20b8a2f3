using System.Collections.Immutable;
using System.Globalization;
using NodaTime;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Definition;

/// <summary>
/// What a step knows when it runs: the trigger event, the customer, the journey run and the current time.
/// Given to <c>Compute</c>, <c>Send</c> and <c>Do</c> delegates.
/// </summary>
/// <typeparam name="TEvent">The journey's trigger event type.</typeparam>
public sealed class StepContext<TEvent>
{
    internal StepContext(
        TEvent @event,
        Customer? customer,
        string journeyName,
        JourneyInstanceId instanceId,
        string correlationKey,
        string stepId,
        Instant startedAt,
        Instant dueAt,
        Instant now,
        ImmutableDictionary<string, string> variables,
        CultureInfo culture,
        DateTimeZone timeZone,
        IReadOnlyDictionary<string, object?> content)
    {
        Event = @event;
        Customer = customer;
        JourneyName = journeyName;
        InstanceId = instanceId;
        CorrelationKey = correlationKey;
        StepId = stepId;
        StartedAt = startedAt;
        DueAt = dueAt;
        Now = now;
        Variables = variables;
        Culture = culture;
        TimeZone = timeZone;
        Content = content;
    }

    /// <summary>The event that started the journey.</summary>
    public TEvent Event { get; }

    /// <summary>The customer, or <see langword="null"/> for a journey that names none.</summary>
    public Customer? Customer { get; }

    /// <summary>The journey's name.</summary>
    public string JourneyName { get; }

    /// <summary>The journey instance.</summary>
    public JourneyInstanceId InstanceId { get; }

    /// <summary>The instance's correlation key.</summary>
    public string CorrelationKey { get; }

    /// <summary>The running step's id.</summary>
    public string StepId { get; }

    /// <summary>When the journey started.</summary>
    public Instant StartedAt { get; }

    /// <summary>When the step was due.</summary>
    public Instant DueAt { get; }

    /// <summary>The current instant, from the injected clock.</summary>
    public Instant Now { get; }

    /// <summary>Time since the journey started.</summary>
    public Duration Elapsed => Now - StartedAt;

    /// <summary>The instance's variables.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; }

    /// <summary>The culture to write in: the customer's, else the journey's default, else invariant.</summary>
    public CultureInfo Culture { get; }

    /// <summary>The time zone to write dates in: the customer's, else the journey's default, else UTC.</summary>
    public DateTimeZone TimeZone { get; }

    /// <summary>The content fetched for this step from the host's providers (see <c>JourneyBuilder.Fetch</c>); empty for host actions.</summary>
    public IReadOnlyDictionary<string, object?> Content { get; }

    /// <summary>The coupon the journey issued the customer, or <see langword="null"/> when none was issued (or it was withheld).</summary>
    public Coupons.Coupon? Coupon => Coupons.CouponState.Read(Variables, Customer?.Id ?? string.Empty);

    /// <summary>Who experiments and the holdout assign: the customer id the instance started with, else its correlation key.</summary>
    internal string AssignmentUnit { get; init; } = string.Empty;

    /// <summary>Whether the instance is in the journey's holdout group: its messages are skipped and its coupons withheld.</summary>
    public bool IsHoldout => Experiments.Holdout.IsIn(Variables);

    /// <summary>The step's idempotency key, <c>{instance id}:{step id}</c>, identical on every attempt.</summary>
    public string IdempotencyKey => _idempotencyKey ??= $"{InstanceIdText}:{StepId}";

    /// <summary>The instance id as text, written once per step for keys and templates.</summary>
    internal string InstanceIdText => _instanceIdText ??= InstanceId.ToString();

    private string? _idempotencyKey;
    private string? _instanceIdText;
}
