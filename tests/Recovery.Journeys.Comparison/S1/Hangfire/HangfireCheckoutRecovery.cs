using System.Globalization;
using System.Net;
using Hangfire;
using Recovery.Journeys.Comparison.Shop;

namespace Recovery.Journeys.Comparison.S1.Hangfire;

/// <summary>
/// Scenario S1 with Hangfire, as its docs teach: three delayed jobs (<c>BackgroundJob.Schedule</c>) at the abandonment,
/// each of which checks that the order is still unpaid before it sends. Hangfire runs the jobs from its storage and
/// retries failures; it has no notion of the journey, so "stop when paid" is the check at the top of each job.
/// </summary>
public sealed class HangfireCheckoutRecovery(IBackgroundJobClient jobs, IOrderBook orders, IShopChannels channels)
{
    /// <summary>Called by the shop when a customer leaves the payment page.</summary>
    public void OnCheckoutAbandoned(CheckoutAbandoned e)
    {
        if (e.SecondsOnPaymentPage <= 30)
        {
            return;
        }

        jobs.Schedule<HangfireCheckoutRecovery>(r => r.FirstPushAsync(e, CancellationToken.None), e.AbandonedAt + S1Timing.FirstPush);
        jobs.Schedule<HangfireCheckoutRecovery>(r => r.EmailAsync(e, CancellationToken.None), e.AbandonedAt + S1Timing.Email);
        jobs.Schedule<HangfireCheckoutRecovery>(r => r.ExtraOfferPushAsync(e, CancellationToken.None), e.AbandonedAt + S1Timing.ExtraOffer);
    }

    public async Task FirstPushAsync(CheckoutAbandoned e, CancellationToken cancellationToken)
    {
        if (await orders.IsPaidAsync(e.OrderId, cancellationToken))
        {
            return;
        }

        var minutesLeft = (int)(e.AbandonedAt.AddMinutes(20) - DateTimeOffset.UtcNow).TotalMinutes;
        var body = string.Format(CultureInfo.InvariantCulture, S1Texts.FirstPushBody, minutesLeft);
        await channels.PushAsync(e.OrderId, S1Timing.FirstPushStep, e.Shopper.PushToken, S1Texts.DeepLinkPrefix + e.OrderId, body, cancellationToken);
    }

    public async Task EmailAsync(CheckoutAbandoned e, CancellationToken cancellationToken)
    {
        if (await orders.IsPaidAsync(e.OrderId, cancellationToken))
        {
            return;
        }

        var html = $"<p>Bonjour {WebUtility.HtmlEncode(e.Shopper.Name)},</p>" +
            string.Concat(e.Items.Select(i => $"<img src=\"{WebUtility.HtmlEncode(i.ImageUrl)}\" alt=\"{WebUtility.HtmlEncode(i.Name)}\">"));
        await channels.EmailAsync(e.OrderId, S1Timing.EmailStep, e.Shopper.Email, S1Texts.EmailSubject, html, cancellationToken);
    }

    public async Task ExtraOfferPushAsync(CheckoutAbandoned e, CancellationToken cancellationToken)
    {
        if (await orders.IsPaidAsync(e.OrderId, cancellationToken))
        {
            return;
        }

        await channels.PushAsync(e.OrderId, S1Timing.ExtraOfferStep, e.Shopper.PushToken, S1Texts.DeepLinkPrefix + e.OrderId, S1Texts.ExtraOfferBody, cancellationToken);
    }
}
