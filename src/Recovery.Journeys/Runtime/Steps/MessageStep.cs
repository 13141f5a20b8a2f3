using System.Globalization;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;

namespace Recovery.Journeys.Runtime.Steps;

/// <summary>
/// Sends a message on one channel, on the first of several that works (fallback), or on all of them (fan-out).
/// Before each send it checks the customer can be reached on the channel and agreed to it; a transient failure
/// reschedules the step with backoff, a permanent one moves on to the next channel.
/// </summary>
internal sealed class MessageStep<TEvent>(string id, StepTiming timing, ChannelMode mode, IReadOnlyList<MessageMember<TEvent>> members)
    : JourneyStep<TEvent>(id, members.Select(m => m.Channel).ToList(), mode, timing)
{
    public IReadOnlyList<MessageMember<TEvent>> Members => members;

    public override bool SendsMessages => true;

    public override ValueTask<StepResult> RunAsync(StepRun<TEvent> run, CancellationToken cancellationToken) =>
        Mode == ChannelMode.FanOut ? FanOutAsync(run, cancellationToken) : FallbackAsync(run, cancellationToken);

    /// <summary>Tries the channels in order from where a retry left off; the first that sends ends the step.</summary>
    private async ValueTask<StepResult> FallbackAsync(StepRun<TEvent> run, CancellationToken cancellationToken)
    {
        var deliveries = new List<DeliveryOutcome>(1);
        var start = run.Progress is null ? 0 : int.Parse(run.Progress, CultureInfo.InvariantCulture);
        for (var i = start; i < members.Count; i++)
        {
            var member = members[i];
            var attempt = i == start ? run.Attempt : 0;
            var result = await TryAsync(member, run, cancellationToken).ConfigureAwait(false);
            if (result.Kind == AttemptKind.Transient && run.CanRetry(attempt))
            {
                deliveries.Add(run.Retrying(member.Channel, attempt, result.Detail));
                return run.RetryLater(deliveries, attempt, i == 0 ? null : i.ToString(CultureInfo.InvariantCulture));
            }

            deliveries.Add(run.Final(member.Channel, attempt, result));
            if (result.Kind == AttemptKind.Sent)
            {
                break;
            }
        }

        return new StepResult(deliveries);
    }

    /// <summary>Sends on every channel; channels that failed transiently are retried together, the others are not sent again.</summary>
    private async ValueTask<StepResult> FanOutAsync(StepRun<TEvent> run, CancellationToken cancellationToken)
    {
        var done = run.Progress is null ? [] : run.Progress.Split(',').Select(i => int.Parse(i, CultureInfo.InvariantCulture)).ToHashSet();
        var deliveries = new List<DeliveryOutcome>(members.Count);
        var pending = false;
        for (var i = 0; i < members.Count; i++)
        {
            if (done.Contains(i))
            {
                continue;
            }

            var member = members[i];
            var result = await TryAsync(member, run, cancellationToken).ConfigureAwait(false);
            if (result.Kind == AttemptKind.Transient && run.CanRetry(run.Attempt))
            {
                deliveries.Add(run.Retrying(member.Channel, run.Attempt, result.Detail));
                pending = true;
                continue;
            }

            deliveries.Add(run.Final(member.Channel, run.Attempt, result));
            done.Add(i);
        }

        return pending
            ? run.RetryLater(deliveries, run.Attempt, done.Count == 0 ? null : string.Join(',', done.Order()))
            : new StepResult(deliveries);
    }

    private async ValueTask<AttemptResult> TryAsync(MessageMember<TEvent> member, StepRun<TEvent> run, CancellationToken cancellationToken)
    {
        var context = run.Context;
        if (context.Customer is not { } customer)
        {
            return AttemptResult.Skipped("customer not found");
        }

        if (RequiresContactAttribute.Unreachable(customer, member.Requires) is { } unreachable)
        {
            return AttemptResult.Skipped(unreachable);
        }

        return await Attempt.RunAsync(
            (Member: member, Run: run, Key: IdempotencyKey(context, member)),
            static async (s, token) =>
            {
                var services = s.Run.Services;
                if (services.Host.Consent is { } consent && !await consent.MayContactAsync(s.Run.Context.Customer!, s.Member.Channel, token).ConfigureAwait(false))
                {
                    return AttemptResult.Skipped($"customer opted out of {s.Member.Channel}");
                }

                object message;
                try
                {
                    message = s.Member.Compose(s.Run.Context, services);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A template or compose delegate that throws will throw again: no retry.
                    return new AttemptResult(AttemptKind.Permanent, $"rendering failed: {Attempt.Describe(e)}");
                }

                var receipt = await s.Member.SendAsync(message, s.Run.Context, s.Key, services, token).ConfigureAwait(false);
                return receipt.IsSent ? AttemptResult.Sent : AttemptResult.Skipped(receipt.Reason!);
            },
            run.Services,
            cancellationToken).ConfigureAwait(false);
    }

    private string IdempotencyKey(StepContext<TEvent> context, MessageMember<TEvent> member) =>
        members.Count == 1 ? context.IdempotencyKey : $"{context.IdempotencyKey}:{member.Channel}";
}
