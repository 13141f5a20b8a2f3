using System.Security.Cryptography;
using Recovery.Journeys.Coupons;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Runtime.Steps;

/// <summary>
/// Issues, raises or revokes the instance's personal coupon through the host's <see cref="ICouponService"/> (or,
/// without one, with codes of its own), keeping the coupon among the instance's variables.
/// </summary>
internal static class CouponStepExecutor
{
    // No 0/O or 1/I/L: codes are read aloud and typed in.
    private const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    public static async ValueTask<StepResult> RunAsync<TEvent>(CouponStep<TEvent> step, StepRun<TEvent> run, CancellationToken cancellationToken)
        where TEvent : class
    {
        const string channel = CouponStep<TEvent>.Channel;
        var context = run.Context;
        if (context.Customer is not { } customer)
        {
            return new StepResult([new(JourneyRecordKind.Skipped, channel, "customer not found")]);
        }

        var coupon = CouponState.Read(context.Variables, customer.Id);
        if (step.Operation == CouponOperation.Issue)
        {
            if (coupon is not null)
            {
                return new StepResult([new(JourneyRecordKind.Skipped, channel, "a coupon was already issued by this journey")]);
            }

            if (await WithholdReasonAsync(step.Settings!, run, customer.Id, cancellationToken).ConfigureAwait(false) is { } reason)
            {
                return Withheld(reason);
            }
        }
        else if (coupon is null || coupon.IsRevoked)
        {
            var what = step.Operation == CouponOperation.Raise ? "raise" : "revoke";
            return new StepResult([new(JourneyRecordKind.Skipped, channel, coupon is null ? $"no coupon to {what}" : "the coupon is already revoked")]);
        }

        Coupon? changed = null;
        var result = await Attempt.RunAsync(
            (Step: step, Run: run, Coupon: coupon, Customer: customer),
            async (s, token) =>
            {
                changed = await ApplyAsync(s.Step, s.Run, s.Coupon, s.Customer, token).ConfigureAwait(false);
                return AttemptResult.Sent;
            },
            run.Services,
            cancellationToken).ConfigureAwait(false);

        if (result.Kind == AttemptKind.Transient && run.CanRetry(run.Attempt))
        {
            return run.RetryLater([run.Retrying(channel, run.Attempt, result.Detail)], run.Attempt, progress: null);
        }

        if (result.Kind != AttemptKind.Sent)
        {
            return new StepResult([run.Final(channel, run.Attempt, result)]);
        }

        var (kind, detail) = step.Operation switch
        {
            CouponOperation.Issue => (JourneyRecordKind.CouponIssued, $"{changed!.Name}: {changed.Discount}"),
            CouponOperation.Raise => (JourneyRecordKind.CouponRaised, $"{changed!.Name}: {changed.Discount}"),
            _ => (JourneyRecordKind.CouponRevoked, changed!.Name),
        };
        return new StepResult([new(kind, channel, detail)]) { Variables = CouponState.Write(changed) };
    }

    /// <summary>What a coupon step records when it issues nothing (an incentive-abuse guard, the holdout).</summary>
    public static StepResult Withheld(string reason) =>
        new([new(JourneyRecordKind.CouponWithheld, CouponStep<object>.Channel, reason)])
        {
            Variables = new Dictionary<string, string?> { [CouponState.Withheld] = reason },
        };

    private static async ValueTask<Coupon> ApplyAsync<TEvent>(CouponStep<TEvent> step, StepRun<TEvent> run, Coupon? coupon, Customer customer, CancellationToken cancellationToken)
        where TEvent : class
    {
        var context = run.Context;
        var service = run.Services.Host.Coupons;
        switch (step.Operation)
        {
            case CouponOperation.Issue:
                var settings = step.Settings!;
                var expiresAt = context.Now + settings.ValidFor;
                var code = service is null
                    ? NewCode(settings.Name)
                    : await service.IssueAsync(new CouponRequest(settings.Name, settings.Discount, expiresAt, customer, context.JourneyName, context.IdempotencyKey), cancellationToken).ConfigureAwait(false);
                return new Coupon(settings.Name, code, settings.Discount, expiresAt, customer.Id);
            case CouponOperation.Raise:
                var raised = coupon! with { Discount = coupon.Discount.Stack(step.Raise!, step.Stacking) };
                if (service is not null)
                {
                    await service.ChangeAsync(raised, context.IdempotencyKey, cancellationToken).ConfigureAwait(false);
                }

                return raised;
            default:
                if (service is not null)
                {
                    await service.RevokeAsync(coupon!, context.IdempotencyKey, cancellationToken).ConfigureAwait(false);
                }

                return coupon! with { IsRevoked = true };
        }
    }

    private static async ValueTask<string?> WithholdReasonAsync<TEvent>(CouponSettings<TEvent> settings, StepRun<TEvent> run, string customerId, CancellationToken cancellationToken)
    {
        var now = run.Context.Now;
        var store = run.Services.Store;
        if (settings.NotIfIssuedWithin is { } period)
        {
            // Exact across workers, as the frequency caps: the customer stays locked until this step's record is
            // committed, so another journey of the customer reads this coupon (or waits for it) instead of issuing beside it.
            if (run.Claim is { } claim)
            {
                await claim.LockCustomerAsync(customerId, cancellationToken).ConfigureAwait(false);
            }

            var records = await store.GetCustomerRecordsAsync(customerId, now - period, cancellationToken).ConfigureAwait(false);
            if (records.Any(r => r.Kind == JourneyRecordKind.CouponIssued))
            {
                return $"a coupon was issued to the customer within {DurationText.Format(period)}";
            }
        }

        if (settings.NotIfAbandonedMoreThan is { } abuse)
        {
            var since = now - abuse.Within;
            var entries = await store.FindAsync(new JourneyInstanceQuery(JourneyName: run.Context.JourneyName, CustomerId: customerId), cancellationToken).ConfigureAwait(false);
            var count = entries.Count(i => i.StartedAt >= since);
            if (count > abuse.Times)
            {
                return $"the customer entered this journey {count} times within {DurationText.Format(abuse.Within)}";
            }
        }

        return null;
    }

    private static string NewCode(string name)
    {
        // 12 characters from 31: about 59 bits, unguessable by trying codes at a checkout.
        var random = RandomNumberGenerator.GetString(CodeAlphabet, 12);
        var prefix = new string(name.Where(char.IsAsciiLetterOrDigit).Take(12).ToArray()).ToUpperInvariant();
        return prefix.Length == 0 ? random : $"{prefix}-{random}";
    }
}
