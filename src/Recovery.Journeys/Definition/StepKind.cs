namespace Recovery.Journeys.Definition;

/// <summary>
/// What a step does, decided in one place for every rule that depends on it: timing rules (quiet hours, caps,
/// activity) hold back <see cref="CustomerMessage"/> steps only; a holdout skips every step that goes through a
/// channel and withholds coupons.
/// </summary>
public enum StepKind
{
    /// <summary>A message to the customer: push, web push, e-mail, SMS, chat, on-site, or a host-defined kind that speaks to the customer.</summary>
    CustomerMessage = 0,

    /// <summary>A change to a list the customer is on: a retargeting-ad audience or a CRM contact list.</summary>
    ListChange = 1,

    /// <summary>A call to the host's or a third party's systems: a <c>Do</c> action, a webhook, or a host-defined kind marked as not speaking to the customer.</summary>
    HostAction = 2,

    /// <summary>Issues, raises or revokes the customer's coupon.</summary>
    Coupon = 3,

    /// <summary>Steers the journey without acting: a branch, a wait for an event, an experiment's split.</summary>
    Control = 4,
}
