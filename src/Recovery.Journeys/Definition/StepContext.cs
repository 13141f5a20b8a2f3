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
    // What the instance holds is read from it rather than copied: a context is made for every step.
    private readonly JourneyInstance _instance;

    internal StepContext(
        TEvent @event,
        Customer? customer,
        JourneyInstance instance,
        string stepId,
        Instant now,
        CultureInfo culture,
        DateTimeZone timeZone,
        IReadOnlyDictionary<string, object?> content)
    {
        Event = @event;
        Customer = customer;
        _instance = instance;
        StepId = stepId;
        Now = now;
        Culture = culture;
        TimeZone = timeZone;
        Content = content;
    }

    /// <summary>The event that started the journey.</summary>
    public TEvent Event { get; }

    /// <summary>The customer, or <see langword="null"/> for a journey that names none.</summary>
    public Customer? Customer { get; }

    /// <summary>The journey's name.</summary>
    public string JourneyName => _instance.JourneyName;

    /// <summary>The journey instance.</summary>
    public JourneyInstanceId InstanceId => _instance.Id;

    /// <summary>The instance's correlation key.</summary>
    public string CorrelationKey => _instance.CorrelationKey;

    /// <summary>The running step's id.</summary>
    public string StepId { get; }

    /// <summary>When the journey started.</summary>
    public Instant StartedAt => _instance.StartedAt;

    /// <summary>When the step was due.</summary>
    /// <remarks>Read from the instance (its wake-up, else now) rather than kept: a context is made for every step.</remarks>
    public Instant DueAt => _instance.WakeUpAt ?? Now;

    /// <summary>The current instant, from the injected clock.</summary>
    public Instant Now { get; }

    /// <summary>Time since the journey started.</summary>
    public Duration Elapsed => Now - StartedAt;

    /// <summary>The instance's variables.</summary>
    public IReadOnlyDictionary<string, string> Variables => _instance.Variables;

    /// <summary>The culture to write in: the customer's, else the journey's default, else invariant.</summary>
    public CultureInfo Culture { get; }

    /// <summary>The time zone to write dates in: the customer's, else the journey's default, else UTC.</summary>
    public DateTimeZone TimeZone { get; }

    /// <summary>The content fetched for this step from the host's providers (see <c>JourneyBuilder.Fetch</c>); empty for host actions.</summary>
    public IReadOnlyDictionary<string, object?> Content { get; }

    /// <summary>The coupon the journey issued the customer, or <see langword="null"/> when none was issued (or it was withheld).</summary>
    public Coupons.Coupon? Coupon => Coupons.CouponState.Read(Variables, Customer?.Id ?? string.Empty);

    /// <summary>Who experiments and the holdout assign: the customer id the instance started with, else its correlation key.</summary>
    internal string AssignmentUnit => _instance.CustomerId ?? _instance.CorrelationKey;

    /// <summary>Whether the instance is in the journey's holdout group: its messages are skipped and its coupons withheld.</summary>
    public bool IsHoldout => Experiments.Holdout.IsIn(Variables);

    /// <summary>The step's idempotency key, <c>{instance id}:{step id}</c>, identical on every attempt.</summary>
    public string IdempotencyKey => _idempotencyKey ??= FormatIdempotencyKey();

    private string? _idempotencyKey;

    // In one string, without the instance id's own: a send of constant texts needs no other.
    private string FormatIdempotencyKey() =>
        string.Create(32 + 1 + StepId.Length, this, static (text, context) =>
        {
            context.InstanceId.Value.TryFormat(text, out _, "N");
            text[32] = ':';
            context.StepId.CopyTo(text[33..]);
        });
}
