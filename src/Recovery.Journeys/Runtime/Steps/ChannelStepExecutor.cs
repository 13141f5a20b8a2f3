using System.Globalization;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Runtime.Steps;

/// <summary>
/// Sends a channel step: on its one channel, on the first of several that works (fallback), or on all of them
/// (fan-out). Before each send it checks the customer can be reached on the channel and agreed to it; a transient
/// failure reschedules the step with backoff, a permanent one moves on to the next channel.
/// </summary>
internal static class ChannelStepExecutor
{
    public static ValueTask<StepResult> RunAsync<TEvent>(ChannelStep<TEvent> step, StepRun<TEvent> run, ITemplateModels<TEvent> models, CancellationToken cancellationToken) =>
        step.Mode == ChannelMode.FanOut ? FanOutAsync(step, run, models, cancellationToken) : FallbackAsync(step, run, models, cancellationToken);

    /// <summary>Tries the channels in order from where a retry left off; the first that sends ends the step.</summary>
    private static async ValueTask<StepResult> FallbackAsync<TEvent>(ChannelStep<TEvent> step, StepRun<TEvent> run, ITemplateModels<TEvent> models, CancellationToken cancellationToken)
    {
        var parts = step.TypedParts;
        var start = run.Progress is null ? 0 : int.Parse(run.Progress, CultureInfo.InvariantCulture);
        if (start == parts.Count - 1)
        {
            // One channel to try (the commonest step): its outcome alone, without a list.
            var only = await TryAsync(step, parts[start], run, models, cancellationToken).ConfigureAwait(false);
            return only.Kind == AttemptKind.Transient && run.CanRetry(run.Attempt)
                ? run.RetryLater([run.Retrying(parts[start].Channel, run.Attempt, only.Detail)], run.Attempt, start == 0 ? null : start.ToString(CultureInfo.InvariantCulture))
                : only.Kind == AttemptKind.Sent ? StepResult.Sent(parts[start].Channel) : new StepResult([run.Final(parts[start].Channel, run.Attempt, only)]);
        }

        var deliveries = new List<DeliveryOutcome>(1);
        for (var i = start; i < parts.Count; i++)
        {
            var part = parts[i];
            var attempt = i == start ? run.Attempt : 0;
            var result = await TryAsync(step, part, run, models, cancellationToken).ConfigureAwait(false);
            if (result.Kind == AttemptKind.Transient && run.CanRetry(attempt))
            {
                deliveries.Add(run.Retrying(part.Channel, attempt, result.Detail));
                return run.RetryLater(deliveries, attempt, i == 0 ? null : i.ToString(CultureInfo.InvariantCulture));
            }

            deliveries.Add(run.Final(part.Channel, attempt, result));
            if (result.Kind == AttemptKind.Sent)
            {
                break;
            }
        }

        return new StepResult(deliveries);
    }

    /// <summary>Sends on every channel; channels that failed transiently are retried together, the others are not sent again.</summary>
    private static async ValueTask<StepResult> FanOutAsync<TEvent>(ChannelStep<TEvent> step, StepRun<TEvent> run, ITemplateModels<TEvent> models, CancellationToken cancellationToken)
    {
        var parts = step.TypedParts;
        var done = run.Progress is null ? [] : run.Progress.Split(',').Select(i => int.Parse(i, CultureInfo.InvariantCulture)).ToHashSet();
        var deliveries = new List<DeliveryOutcome>(parts.Count);
        var pending = false;
        for (var i = 0; i < parts.Count; i++)
        {
            if (done.Contains(i))
            {
                continue;
            }

            var part = parts[i];
            var result = await TryAsync(step, part, run, models, cancellationToken).ConfigureAwait(false);
            if (result.Kind == AttemptKind.Transient && run.CanRetry(run.Attempt))
            {
                deliveries.Add(run.Retrying(part.Channel, run.Attempt, result.Detail));
                pending = true;
                continue;
            }

            deliveries.Add(run.Final(part.Channel, run.Attempt, result));
            done.Add(i);
        }

        return pending
            ? run.RetryLater(deliveries, run.Attempt, done.Count == 0 ? null : string.Join(',', done.Order()))
            : new StepResult(deliveries);
    }

    private static async ValueTask<AttemptResult> TryAsync<TEvent>(
        ChannelStep<TEvent> step,
        MessagePart<TEvent> part,
        StepRun<TEvent> run,
        ITemplateModels<TEvent> models,
        CancellationToken cancellationToken)
    {
        var context = run.Context;
        if (context.Customer is not { } customer)
        {
            return AttemptResult.Skipped("customer not found");
        }

        if (RequiresContactAttribute.Unreachable(customer, part.Requires) is { } unreachable)
        {
            return AttemptResult.Skipped(unreachable);
        }

        var key = step.Parts.Count == 1 ? context.IdempotencyKey : $"{context.IdempotencyKey}:{part.Channel}";
        return await Attempt.RunAsync(
            (Part: part, Run: run, Key: key, Models: models),
            static async (s, token) =>
            {
                var services = s.Run.Services;
                var recipient = s.Run.Context.Customer!;
                if (services.Host.Consent is { } consent && !await consent.MayContactAsync(recipient, s.Part.Channel, token).ConfigureAwait(false))
                {
                    return AttemptResult.Skipped($"customer opted out of {s.Part.Channel}");
                }

                object message;
                try
                {
                    message = s.Part.Compose(s.Run.Context, s.Part.IsTemplated ? s.Models.Create(s.Run.Context, s.Part.Channel) : null);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A template or compose delegate that throws will throw again: no retry.
                    return new AttemptResult(AttemptKind.Permanent, $"rendering failed: {Attempt.Describe(e, s.Run.Services.Options)}");
                }

                var sender = services.Senders.For(s.Part.MessageType)
                    ?? throw new PermanentDeliveryException($"no IChannel<{s.Part.MessageType.Name}> is registered");
                var context = s.Run.Context;
                var receipt = await sender.SendAsync(message, recipient, s.Key, context.JourneyName, context.StepId, context.InstanceId, context.CorrelationKey, context.DueAt, token).ConfigureAwait(false);
                return receipt.IsSent ? AttemptResult.Sent : AttemptResult.Skipped(receipt.Reason!);
            },
            run.Services,
            cancellationToken).ConfigureAwait(false);
    }
}
