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
        step.Mode == ChannelMode.FanOut ? FanOutAsync(step, run, models, cancellationToken) : Fallback(step, run, models, cancellationToken);

    /// <summary>
    /// Tries the channels in order from where a retry left off; the first that sends ends the step. One channel to try
    /// (the commonest step) whose call completes at once is done here, without a state machine or a list.
    /// </summary>
    private static ValueTask<StepResult> Fallback<TEvent>(ChannelStep<TEvent> step, StepRun<TEvent> run, ITemplateModels<TEvent> models, CancellationToken cancellationToken)
    {
        var parts = step.TypedParts;
        var start = run.Progress is null ? 0 : int.Parse(run.Progress, CultureInfo.InvariantCulture);
        if (start != parts.Count - 1)
        {
            return FallbackAsync(step, run, models, start, cancellationToken);
        }

        var only = TryAsync(step, parts[start], run, models, cancellationToken);
        return only.IsCompletedSuccessfully
            ? new ValueTask<StepResult>(OnlyOutcome(parts[start].Channel, start, run, only.Result))
            : OnlyAsync(only, parts[start].Channel, start, run);
    }

    private static async ValueTask<StepResult> OnlyAsync<TEvent>(ValueTask<AttemptResult> pending, string channel, int start, StepRun<TEvent> run) =>
        OnlyOutcome(channel, start, run, await pending.ConfigureAwait(false));

    /// <summary>The step's outcome when one channel was tried: its outcome alone, without a list.</summary>
    private static StepResult OnlyOutcome<TEvent>(string channel, int start, StepRun<TEvent> run, AttemptResult only) =>
        only.Kind == AttemptKind.Transient && run.CanRetry(run.Attempt)
            ? run.RetryLater([run.Retrying(channel, run.Attempt, only.Detail)], run.Attempt, start == 0 ? null : start.ToString(CultureInfo.InvariantCulture))
            : only.Kind == AttemptKind.Sent ? StepResult.Sent(channel) : new StepResult([run.Final(channel, run.Attempt, only)]);

    private static async ValueTask<StepResult> FallbackAsync<TEvent>(ChannelStep<TEvent> step, StepRun<TEvent> run, ITemplateModels<TEvent> models, int start, CancellationToken cancellationToken)
    {
        var parts = step.TypedParts;
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

    private static ValueTask<AttemptResult> TryAsync<TEvent>(
        ChannelStep<TEvent> step,
        MessagePart<TEvent> part,
        StepRun<TEvent> run,
        ITemplateModels<TEvent> models,
        CancellationToken cancellationToken)
    {
        var context = run.Context;
        if (context.Customer is not { } customer)
        {
            return new ValueTask<AttemptResult>(AttemptResult.Skipped("customer not found"));
        }

        if (RequiresContactAttribute.Unreachable(customer, part.Requires) is { } unreachable)
        {
            return new ValueTask<AttemptResult>(AttemptResult.Skipped(unreachable));
        }

        var key = step.Parts.Count == 1 ? context.IdempotencyKey : $"{context.IdempotencyKey}:{part.Channel}";
        return Attempt.RunAsync(new Send<TEvent>(part, run, key, models), Send<TEvent>.Call, run.Services, cancellationToken);
    }

    /// <summary>One message to one channel: consent, compose, send; without a state machine when nothing waits.</summary>
    /// <remarks>A value, as the tuple it replaces was: the attempt's state costs no allocation.</remarks>
    private readonly record struct Send<TEvent>(MessagePart<TEvent> Part, StepRun<TEvent> Run, string Key, ITemplateModels<TEvent> Models)
    {
        public static readonly Func<Send<TEvent>, CancellationToken, ValueTask<AttemptResult>> Call = static (s, token) => s.Run.Services.Host.Consent is { } consent
            ? WithConsentAsync(s, consent, token)
            : ComposeAndSend(s, token);

        private static async ValueTask<AttemptResult> WithConsentAsync(Send<TEvent> s, IConsentChecker consent, CancellationToken token) =>
            await consent.MayContactAsync(s.Run.Context.Customer!, s.Part.Channel, token).ConfigureAwait(false)
                ? await ComposeAndSend(s, token).ConfigureAwait(false)
                : AttemptResult.Skipped($"customer opted out of {s.Part.Channel}");

        private static ValueTask<AttemptResult> ComposeAndSend(Send<TEvent> s, CancellationToken token)
        {
            var context = s.Run.Context;
            object message;
            try
            {
                message = s.Part.Compose(context, s.Part.IsTemplated ? s.Models.Create(context, s.Part.Channel) : null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A template or compose delegate that throws will throw again: no retry.
                return new ValueTask<AttemptResult>(new AttemptResult(AttemptKind.Permanent, $"rendering failed: {Attempt.Describe(e, s.Run.Services.Options)}"));
            }

            var sender = s.Run.Services.Senders.For(s.Part.MessageType)
                ?? throw new PermanentDeliveryException($"no IChannel<{s.Part.MessageType.Name}> is registered");
            var receipt = sender.SendAsync(message, context.Customer!, s.Key, context.JourneyName, context.StepId, context.InstanceId, context.CorrelationKey, context.DueAt, token);
            return receipt.IsCompletedSuccessfully ? new ValueTask<AttemptResult>(Of(receipt.Result)) : ReceivedAsync(receipt);
        }

        private static async ValueTask<AttemptResult> ReceivedAsync(ValueTask<DeliveryReceipt> receipt) =>
            Of(await receipt.ConfigureAwait(false));

        private static AttemptResult Of(DeliveryReceipt receipt) => receipt.IsSent ? AttemptResult.Sent : AttemptResult.Skipped(receipt.Reason!);
    }
}
