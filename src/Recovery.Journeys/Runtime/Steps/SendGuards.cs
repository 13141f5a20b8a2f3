using NodaTime;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Time;
using Recovery.Journeys.Timing;

namespace Recovery.Journeys.Runtime.Steps;

/// <summary>
/// The timing rules checked before a step that speaks to the customer (<see cref="StepKind.CustomerMessage"/>) sends,
/// in order: quiet hours, the customer still active, frequency caps. The first that holds the step back defers it (or
/// skips it, for a cap with <see cref="CapPolicy.Skip"/>); at its new time the step goes through every rule again.
/// List changes, webhooks and host actions are not held back.
/// </summary>
internal static class SendGuards
{
    public static ValueTask<StepResult?> CheckAsync<TEvent>(JourneyDefinition journey, JourneyStep step, StepRun<TEvent> run, Customer customer, CancellationToken cancellationToken)
    {
        // Most journeys have no timing rule: no allocation on their hot path.
        if (step.Kind != StepKind.CustomerMessage
            || (journey.QuietHours.Count == 0 && journey.ActivityQuietPeriod is null && run.Services.Options.FrequencyCaps.Count == 0))
        {
            return ValueTask.FromResult<StepResult?>(null);
        }

        return CheckRulesAsync(journey, step, run, customer, cancellationToken);
    }

    private static async ValueTask<StepResult?> CheckRulesAsync<TEvent>(JourneyDefinition journey, JourneyStep step, StepRun<TEvent> run, Customer customer, CancellationToken cancellationToken)
    {
        var now = run.Context.Now;
        var zone = run.Context.TimeZone;
        (QuietHours Rule, Instant End)? quiet = null;
        foreach (var rule in journey.QuietHours)
        {
            if (rule.AppliesTo(step.Channels) && rule.EndIfInside(now, zone) is { } end && (quiet is null || end > quiet.Value.End))
            {
                quiet = (rule, end);
            }
        }

        if (quiet is { } window)
        {
            return Defer(run, step, window.End, $"quiet hours {window.Rule} in {zone.Id}, until {window.End.InZone(zone).LocalDateTime:yyyy-MM-dd HH:mm} local");
        }

        if (journey.ActivityQuietPeriod is { } quietFor && run.Services.Host.Activity is { } activity
            && await activity.LastActiveAtAsync(customer.Id, cancellationToken).ConfigureAwait(false) is { } lastActive
            && lastActive + quietFor > now)
        {
            return Defer(run, step, lastActive + quietFor, $"the customer was active {DurationText.Format(now - lastActive)} ago");
        }

        var messages = run.Services.CustomerMessageChannels;
        var caps = run.Services.Options.FrequencyCaps.Where(c => c.Channel is null ? step.Channels.Any(messages.Contains) : step.Channels.Contains(c.Channel)).ToList();
        if (caps.Count == 0)
        {
            return null;
        }

        // Exact across workers: the customer stays locked until this step's record is committed, so another journey of
        // the customer counts this step's message (or waits for it) instead of passing the cap beside it.
        if (run.Claim is { } claim)
        {
            await claim.LockCustomerAsync(customer.Id, cancellationToken).ConfigureAwait(false);
        }

        var since = now - caps.Max(c => c.Period);
        var sent = (await run.Services.Store.GetCustomerRecordsAsync(customer.Id, since, cancellationToken).ConfigureAwait(false))
            .Where(r => r.Kind == JourneyRecordKind.Sent && r.Channel is { } channel && messages.Contains(channel))
            .ToList();
        foreach (var cap in caps)
        {
            var counted = sent.Where(r => r.At > now - cap.Period && (cap.Channel is null || r.Channel == cap.Channel)).Select(r => r.At).Order().ToList();
            if (counted.Count < cap.MaxMessages)
            {
                continue;
            }

            if (cap.Policy == CapPolicy.Skip)
            {
                return new StepResult([new(JourneyRecordKind.Skipped, step.Channel, $"frequency cap of {cap} reached")]);
            }

            // Once enough of the counted messages fall out of the period, one more fits.
            var until = counted[counted.Count - cap.MaxMessages] + cap.Period;
            return Defer(run, step, until, $"frequency cap of {cap} reached");
        }

        return null;
    }

    private static StepResult Defer<TEvent>(StepRun<TEvent> run, JourneyStep step, Instant until, string reason) =>
        StepResult.Deferred(step.Channel, until, reason, run.Attempt, run.Progress);
}
