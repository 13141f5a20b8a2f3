namespace Recovery.Journeys.Channels;

/// <summary>Adds the customer to, or removes them from, a CRM contact list (a coupon-eligibility list, say).</summary>
/// <param name="List">The list's name or id in the CRM.</param>
/// <param name="Change">Add or remove.</param>
[ChannelName("crm-list", IsCustomerMessage = false)]
public sealed record CrmListUpdate(string List, MembershipChange Change);
