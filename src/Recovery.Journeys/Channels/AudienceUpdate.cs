namespace Recovery.Journeys.Channels;

/// <summary>
/// Adds the customer to, or removes them from, a retargeting-ad audience (matched by the ad platform on hashed
/// e-mail or phone). Reaches customers with an e-mail address or a phone number.
/// </summary>
/// <param name="Audience">The audience's name or id at the ad platform.</param>
/// <param name="Change">Add or remove.</param>
[ChannelName("ad-audience", IsCustomerMessage = false)]
[RequiresContact(ContactKinds.Email | ContactKinds.Phone)]
public sealed record AudienceUpdate(string Audience, MembershipChange Change);
