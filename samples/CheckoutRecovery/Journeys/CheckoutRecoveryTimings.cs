using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Time;

namespace CheckoutRecovery.Journeys;

/// <summary>When the reminders of the checkout-recovery journey go out, measured from the abandonment.</summary>
/// <param name="FirstPush">The first push ("Il ne vous reste que 15 minutes ...").</param>
/// <param name="Email">The e-mail with the products, the terms and the countdown.</param>
/// <param name="ExtraOfferPush">The last push, with the extra 10 % and the social proof.</param>
/// <param name="DiscountHold">How long the shop holds the discounted price after the customer leaves the payment page; the first push says how much of it is left.</param>
/// <param name="ExtraOfferWindow">How long the last push's extra 10 % lasts ("Payez dans les 30 minutes").</param>
/// <param name="AttributionWindow">How long after a reminder a payment is put down to it; the journey listens that long after its last step.</param>
public sealed record CheckoutRecoveryTimings(
    Duration FirstPush,
    Duration Email,
    Duration ExtraOfferPush,
    Duration DiscountHold,
    Duration ExtraOfferWindow,
    Duration AttributionWindow)
{
    /// <summary>The timings of seed 000: +5 min, +1 h, +24 h; the price held 20 minutes; the extra 10 % for 30 minutes; payments put down to a reminder within 24 hours.</summary>
    public static CheckoutRecoveryTimings Production { get; } = new(5.Minutes(), 1.Hours(), 24.Hours(), 20.Minutes(), 30.Minutes(), 24.Hours());

    /// <summary>The same journey in seconds (+5 s, +10 s, +15 s; price held 20 s; extra offer 5 s; attribution 5 s), to watch it run in real time.</summary>
    public static CheckoutRecoveryTimings Demo { get; } = new(5.Seconds(), 10.Seconds(), 15.Seconds(), 20.Seconds(), 5.Seconds(), 5.Seconds());

    /// <summary>When the extra offer expires, after the abandonment: the journey's last step.</summary>
    public Duration ExtraOfferExpiry => ExtraOfferPush + ExtraOfferWindow;
}
