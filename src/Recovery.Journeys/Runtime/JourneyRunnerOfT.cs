using System.Collections.Concurrent;
using System.Globalization;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Coupons;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime.Steps;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Templating;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Runtime;

/// <summary>The runner of a journey whose trigger event is <typeparamref name="TEvent"/>.</summary>
/// <remarks>
/// A step run goes: read the stored event, withhold it for a holdout instance, find the customer, check the timing
/// rules, fetch content, then hand the step to its executor — the one place that maps a step to what carries it out.
/// </remarks>
internal sealed class JourneyRunner<TEvent>(JourneyDefinition<TEvent> journey, StepServices services) : JourneyRunner, ITemplateModels<TEvent>
    where TEvent : class
{
    private static readonly IReadOnlyDictionary<string, object?> NoContent = new Dictionary<string, object?>();
    private static readonly IReadOnlyDictionary<string, object?> NoValues = new Dictionary<string, object?>();
    private static readonly ConcurrentDictionary<string, CultureInfo?> Cultures = new(StringComparer.OrdinalIgnoreCase);

    // The price the journey's coupon applies to, for coupon.priceBefore and coupon.priceAfter in any later template.
    private readonly Func<TEvent, decimal>? _couponPrice = journey.Steps.OfType<CouponStep<TEvent>>().Select(s => s.Settings?.Price).FirstOrDefault(p => p is not null);

    // The computed values' names, in the order of journey.Computed, shared by every send's values.
    private readonly string[] _computedNames = [.. journey.Computed.Select(c => c.Name)];

    public override async ValueTask<StepResult> RunStepAsync(IJourneyClaim claim, JourneyStep step, Instant now, CancellationToken cancellationToken)
    {
        var instance = claim.Instance;
        TEvent @event;
        try
        {
            @event = instance.Trigger.GetValue<TEvent>();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new StepResult([new(JourneyRecordKind.Failed, step.Channel, $"the stored {typeof(TEvent).Name} event cannot be read: {Attempt.Describe(e, services.Options)}")]);
        }

        var exitAction = instance.IsRunningExitActions;
        if (!exitAction && TooLate(instance, step, now) is { } late)
        {
            return late;
        }

        if (Holdout.IsIn(instance.Variables) && Withhold(step) is { } withheld)
        {
            return withheld;
        }

        var customer = await FindCustomerAsync(@event, instance.CustomerId, cancellationToken).ConfigureAwait(false);
        var run = new StepRun<TEvent>(CreateContext(instance, step, @event, customer, now, NoContent), services, instance.StepAttempt, instance.StepProgress) { Claim = claim };
        if (!exitAction && journey.SendCondition is { } condition && IsHeldBySendCondition(step)
            && await CheckSendConditionAsync(condition, step, run, cancellationToken).ConfigureAwait(false) is { } stopped)
        {
            return stopped;
        }

        if (step is ChannelStep && customer is not null)
        {
            if (await SendGuards.CheckAsync(journey, step, run, customer, cancellationToken).ConfigureAwait(false) is { } held)
            {
                return held;
            }

            if (journey.Content.Count > 0)
            {
                var (content, failure) = await FetchContentAsync(run, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    return failure;
                }

                run = run with { Context = CreateContext(instance, step, @event, customer, now, content) };
            }
        }

        return step switch
        {
            ChannelStep<TEvent> channels => await ChannelStepExecutor.RunAsync(channels, run, this, cancellationToken).ConfigureAwait(false),
            ActionStep<TEvent> action => await ActionStepExecutor.RunAsync(action, run, cancellationToken).ConfigureAwait(false),
            CouponStep<TEvent> coupon => await CouponStepExecutor.RunAsync(coupon, run, cancellationToken).ConfigureAwait(false),
            BranchStep<TEvent> branch => ControlStepExecutor.Branch(branch, run),
            WaitStep wait => ControlStepExecutor.Wait(wait, run),
            ExperimentStep experiment => ControlStepExecutor.Experiment(experiment, run),
            _ => throw new InvalidOperationException($"Journey '{journey.Name}', step '{step.Id}': no executor for {step.GetType().Name}."),
        };
    }

    public override async ValueTask<IReadOnlyList<PreviewedMessage>> PreviewStepAsync(JourneyInstance instance, JourneyStep step, Instant now, Customer? customer, CancellationToken cancellationToken)
    {
        if (step is not ChannelStep<TEvent> channelStep)
        {
            return [];
        }

        var @event = instance.Trigger.GetValue<TEvent>();
        customer ??= await FindCustomerAsync(@event, instance.CustomerId, cancellationToken).ConfigureAwait(false);
        var run = new StepRun<TEvent>(CreateContext(instance, step, @event, customer, now, NoContent), services, 0, null);
        if (journey.Content.Count > 0)
        {
            var (content, failure) = await FetchContentAsync(run, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                throw new InvalidOperationException($"Journey '{journey.Name}', step '{step.Id}': content could not be fetched: {failure.Deliveries[0].Detail}");
            }

            run = run with { Context = CreateContext(instance, step, @event, customer, now, content) };
        }

        return channelStep.TypedParts
            .Select(p => customer is null ? new PreviewedMessage(p.Channel, null, "customer not found")
                : RequiresContactAttribute.Unreachable(customer, p.Requires) is { } unreachable ? new PreviewedMessage(p.Channel, null, unreachable)
                : new PreviewedMessage(p.Channel, p.Compose(run.Context, p.IsTemplated ? Create(run.Context, p.Channel) : null), null))
            .ToList();
    }

    public override async ValueTask<string?> TimeZoneAtStartAsync(object @event, CancellationToken cancellationToken)
    {
        var typed = (TEvent)@event;
        var zone = journey.Customer is not null
            ? journey.Customer(typed)?.TimeZone
            : journey.UsesLocalTimes && journey.CustomerId?.Invoke(typed) is { } customerId && services.Host.Customers is { } directory
                ? (await directory.FindAsync(customerId, cancellationToken).ConfigureAwait(false))?.TimeZone
                : null;
        return zone is not null && DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is not null
            ? zone
            : journey.DefaultTimeZone == DateTimeZone.Utc ? null : journey.DefaultTimeZone.Id;
    }

    /// <summary>
    /// Skips a step that falls due more than its lateness limit ago (the step's own, else the journey's for messages to
    /// the customer), measured from when it first fell due, before any retry or deferral.
    /// </summary>
    private StepResult? TooLate(JourneyInstance instance, JourneyStep step, Instant now)
    {
        var limit = step.Timing.MaxLateness ?? (step.Kind == StepKind.CustomerMessage ? journey.MaxLateness : null);
        if (limit is not { } max || step.Kind == StepKind.Control || (instance.StepDueAt ?? instance.WakeUpAt) is not { } dueAt || now - dueAt <= max)
        {
            return null;
        }

        return new StepResult([new(JourneyRecordKind.Skipped, step.Channel, $"{DurationText.Format(now - dueAt)} late, more than {DurationText.Format(max)} (SkipIfLaterThan)")]);
    }

    /// <summary>The steps the host's send condition holds: every one that goes through a channel, and coupons issued or raised.</summary>
    private static bool IsHeldBySendCondition(JourneyStep step) =>
        step is ChannelStep || step is CouponStep<TEvent> { Operation: not CouponOperation.Revoke };

    /// <summary>Asks the host's condition under the claim; a false answer ends the journey, a failure is retried like a channel's.</summary>
    private async ValueTask<StepResult?> CheckSendConditionAsync(
        Func<StepContext<TEvent>, CancellationToken, ValueTask<bool>> condition,
        JourneyStep step,
        StepRun<TEvent> run,
        CancellationToken cancellationToken)
    {
        var result = await Attempt.RunAsync(
            (Condition: condition, run.Context),
            static async (s, token) => await s.Condition(s.Context, token).ConfigureAwait(false) ? AttemptResult.Sent : AttemptResult.Skipped("no longer holds"),
            services,
            cancellationToken).ConfigureAwait(false);
        const string channel = "send-condition";
        return result.Kind switch
        {
            AttemptKind.Sent => null,
            AttemptKind.Skipped => new StepResult([new(JourneyRecordKind.Skipped, step.Channel, "SendOnlyWhile: the condition no longer holds")])
            {
                EndsJourney = new JourneyEnd("SendOnlyWhile: the condition no longer holds", journey.SendConditionEndsAsConversion ?? true),
            },
            AttemptKind.Transient when run.CanRetry(run.Attempt) => run.RetryLater([run.Retrying(channel, run.Attempt, result.Detail)], run.Attempt, run.Progress),
            _ => new StepResult([run.Final(channel, run.Attempt, result)]),
        };
    }

    /// <summary>What a step does for a holdout instance instead of running: a channel step is skipped, a coupon withheld; other steps run.</summary>
    private static StepResult? Withhold(JourneyStep step) => step switch
    {
        ChannelStep => new StepResult([new(JourneyRecordKind.Skipped, step.Channel, Holdout.SkipReason)]),
        CouponStep<TEvent> { Operation: CouponOperation.Issue } => CouponStepExecutor.Withheld(Holdout.SkipReason),
        _ => null,
    };

    // Not async: a customer read from the event (or none) needs no state machine; a directory's answer is its own.
    private ValueTask<Customer?> FindCustomerAsync(TEvent @event, string? customerId, CancellationToken cancellationToken) =>
        journey.Customer is not null
            ? new ValueTask<Customer?>(journey.Customer(@event))
            : customerId is not null && services.Host.Customers is { } directory
                ? directory.FindAsync(customerId, cancellationToken)
                : default;

    private StepContext<TEvent> CreateContext(JourneyInstance instance, JourneyStep step, TEvent @event, Customer? customer, Instant now, IReadOnlyDictionary<string, object?> content) =>
        new(@event, customer, instance, step.Id, now, CultureOf(customer), TimeZoneOf(customer), content);

    /// <inheritdoc />
    public TemplateModel Create(StepContext<TEvent> context, string channel) =>
        new()
        {
            Event = context.Event!,
            Customer = context.Customer,
            Now = context.Now,
            Values = ComputeValues(context),
            Content = context.Content,
            Coupon = context.Coupon is { } coupon ? TemplateCouponOf(coupon, context) : null,
            Culture = context.Culture,
            TimeZone = context.TimeZone,
            Channel = channel,
            UnsubscribeUrl = context.Customer is { } customer ? services.Host.UnsubscribeLinks?.Create(customer.Id, channel).AbsoluteUri : null,
            Journey = new TemplateJourney(context.JourneyName, context.StepId, context.InstanceId, context.StartedAt, context.Elapsed),
        };

    private IReadOnlyDictionary<string, object?> ComputeValues(StepContext<TEvent> context)
    {
        var computed = journey.Computed;
        if (computed.Count == 0)
        {
            return NoValues;
        }

        var values = new object?[computed.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = computed[i].Compute(context);
        }

        return new ComputedValues(_computedNames, values);
    }

    private TemplateCoupon TemplateCouponOf(Coupon coupon, StepContext<TEvent> context)
    {
        var price = _couponPrice?.Invoke(context.Event);
        return new TemplateCoupon
        {
            Name = coupon.Name,
            Code = coupon.Code,
            Discount = coupon.Discount.ToString(context.Culture),
            ExpiresAt = coupon.ExpiresAt,
            PriceBefore = price,
            PriceAfter = price is { } p ? coupon.Discount.ApplyTo(p) : null,
            IsRevoked = coupon.IsRevoked,
        };
    }

    /// <summary>Fetches every declared content once for the step; a failure fails or retries the whole step.</summary>
    private async ValueTask<(IReadOnlyDictionary<string, object?> Content, StepResult? Failure)> FetchContentAsync(StepRun<TEvent> run, CancellationToken cancellationToken)
    {
        var content = new Dictionary<string, object?>(journey.Content.Count, StringComparer.Ordinal);
        foreach (var (name, type) in journey.Content)
        {
            object? value = null;
            var result = await Attempt.RunAsync(
                (Provider: services.Host.Content[name], Request: new ContentRequest(name, run.Context.Event!, run.Context.Customer, journey.Name, run.Context.StepId, run.Context.Now)),
                async (s, token) =>
                {
                    value = await s.Provider.GetAsync(s.Request, token).ConfigureAwait(false);
                    return value is null || type.IsInstanceOfType(value)
                        ? AttemptResult.Sent
                        : new AttemptResult(AttemptKind.Permanent, $"returned {value.GetType().Name}, not {type.Name}");
                },
                services,
                cancellationToken).ConfigureAwait(false);

            var channel = $"content:{name}";
            if (result.Kind == AttemptKind.Transient && run.CanRetry(run.Attempt))
            {
                return (content, run.RetryLater([run.Retrying(channel, run.Attempt, result.Detail)], run.Attempt, run.Progress));
            }

            if (result.Kind != AttemptKind.Sent)
            {
                return (content, new StepResult([run.Final(channel, run.Attempt, result)]));
            }

            content[name] = value;
        }

        return (content, null);
    }

    private CultureInfo CultureOf(Customer? customer) =>
        customer?.Culture is { Length: > 0 } name
            ? Cultures.GetOrAdd(name, static n =>
            {
                try
                {
                    return CultureInfo.GetCultureInfo(n, predefinedOnly: true);
                }
                catch (CultureNotFoundException)
                {
                    return null;
                }
            }) ?? journey.DefaultCulture
            : journey.DefaultCulture;

    private DateTimeZone TimeZoneOf(Customer? customer) =>
        customer?.TimeZone is { Length: > 0 } id ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) ?? journey.DefaultTimeZone : journey.DefaultTimeZone;
}
