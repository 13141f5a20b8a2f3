using System.Globalization;
using System.Net;
using Recovery.Journeys.Comparison.Shop;
using Wolverine;
using Wolverine.Persistence.Sagas;

namespace Recovery.Journeys.Comparison.S1.Wolverine;

/// <summary>The first push, a saga timeout (Wolverine schedules it durably when the saga cascades it).</summary>
public sealed record FirstPush(string Id) : TimeoutMessage(S1Timing.FirstPush);

/// <summary>The e-mail, scheduled by the first push for 1 h after the abandonment.</summary>
public sealed record ReminderEmail(string Id) : TimeoutMessage(S1Timing.Email - S1Timing.FirstPush);

/// <summary>The last push, scheduled by the e-mail for 24 h after the abandonment.</summary>
public sealed record ExtraOfferPush(string Id) : TimeoutMessage(S1Timing.ExtraOffer - S1Timing.Email);

/// <summary>
/// Scenario S1 with Wolverine, as its saga docs teach: a saga keyed by the order id, started by the abandonment, whose
/// timeout messages send the reminders (each schedules the next, so one timeout is pending at a time), and which
/// <c>OrderPaid</c> completes (deletes); a timeout whose saga is gone is dropped by Wolverine.
/// </summary>
public sealed class CheckoutRecoverySaga : Saga
{
    public string? Id { get; set; }

    public CheckoutAbandoned Checkout { get; set; } = null!;

    public static (CheckoutRecoverySaga?, FirstPush?) Start(CheckoutAbandoned e) =>
        e.SecondsOnPaymentPage > 30 ? (new CheckoutRecoverySaga { Id = e.OrderId, Checkout = e }, new FirstPush(e.OrderId)) : (null, null);

    public async Task<ReminderEmail> Handle(FirstPush timeout, IShopChannels channels, CancellationToken cancellationToken)
    {
        var minutesLeft = (int)(Checkout.AbandonedAt.AddMinutes(20) - DateTimeOffset.UtcNow).TotalMinutes;
        var body = string.Format(CultureInfo.InvariantCulture, S1Texts.FirstPushBody, minutesLeft);
        await channels.PushAsync(Checkout.OrderId, S1Timing.FirstPushStep, Checkout.Shopper.PushToken, S1Texts.DeepLinkPrefix + Checkout.OrderId, body, cancellationToken);
        return new ReminderEmail(timeout.Id);
    }

    public async Task<ExtraOfferPush> Handle(ReminderEmail timeout, IShopChannels channels, CancellationToken cancellationToken)
    {
        var html = $"<p>Bonjour {WebUtility.HtmlEncode(Checkout.Shopper.Name)},</p>" +
            string.Concat(Checkout.Items.Select(i => $"<img src=\"{WebUtility.HtmlEncode(i.ImageUrl)}\" alt=\"{WebUtility.HtmlEncode(i.Name)}\">"));
        await channels.EmailAsync(Checkout.OrderId, S1Timing.EmailStep, Checkout.Shopper.Email, S1Texts.EmailSubject, html, cancellationToken);
        return new ExtraOfferPush(timeout.Id);
    }

    public async Task Handle(ExtraOfferPush timeout, IShopChannels channels, CancellationToken cancellationToken)
    {
        await channels.PushAsync(Checkout.OrderId, S1Timing.ExtraOfferStep, Checkout.Shopper.PushToken, S1Texts.DeepLinkPrefix + Checkout.OrderId, S1Texts.ExtraOfferBody, cancellationToken);
        MarkCompleted();
    }

    public void Handle([SagaIdentityFrom(nameof(OrderPaid.OrderId))] OrderPaid paid) => MarkCompleted();

    /// <summary>A payment for an order that is not (or no longer) being recovered.</summary>
    public static void NotFound(OrderPaid paid)
    {
    }
}
