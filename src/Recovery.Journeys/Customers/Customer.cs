using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Customers;

/// <summary>
/// The person a journey speaks to: how to reach them and how to address them.
/// </summary>
/// <remarks>
/// A journey gets its customer either straight from the trigger event
/// (<c>ForCustomer(e =&gt; new Customer(...))</c>) or, by id, from the host's
/// <see cref="ICustomerDirectory"/> at send time, so that contact details changed since the trigger are used.
/// Templates see this type as <c>customer</c> (<c>{{customer.name}}</c>). Immutable and thread-safe.
/// </remarks>
/// <param name="Id">The host's stable customer id. Only ids, never names or addresses, go to logs and metrics.</param>
public sealed record Customer(string Id)
{
    /// <summary>The name to greet the customer with (<c>Bonjour {{customer.name}}</c>).</summary>
    public string? Name { get; init; }

    /// <summary>The e-mail address, or <see langword="null"/> when none is known.</summary>
    public string? Email { get; init; }

    /// <summary>The phone number in E.164 form (<c>+33612345678</c>), or <see langword="null"/> when none is known.</summary>
    public string? Phone { get; init; }

    /// <summary>The app push token (or the push provider's id for the customer's devices), or <see langword="null"/> when the app is not installed.</summary>
    public string? PushToken { get; init; }

    /// <summary>The browser push subscription's endpoint, or <see langword="null"/> when the customer has not subscribed.</summary>
    public string? WebPushEndpoint { get; init; }

    /// <summary>The customer's handle on the chat channel (a WhatsApp number, a Messenger id), or <see langword="null"/>.</summary>
    public string? ChatId { get; init; }

    /// <summary>The customer's culture as an IETF tag (<c>fr-FR</c>), or <see langword="null"/> for the journey's default.</summary>
    public string? Culture { get; init; }

    /// <summary>The customer's time zone as a tzdb id (<c>Europe/Paris</c>), or <see langword="null"/> for UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>Further host-defined fields, visible to templates as <c>customer.attributes.key</c>.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = EmptyAttributes;

    /// <summary>The ways this customer can be reached, from the contact fields that are set.</summary>
    public ContactKinds ContactKinds =>
        (string.IsNullOrWhiteSpace(Email) ? ContactKinds.None : ContactKinds.Email)
        | (string.IsNullOrWhiteSpace(Phone) ? ContactKinds.None : ContactKinds.Phone)
        | (string.IsNullOrWhiteSpace(PushToken) ? ContactKinds.None : ContactKinds.AppPush)
        | (string.IsNullOrWhiteSpace(WebPushEndpoint) ? ContactKinds.None : ContactKinds.WebPush)
        | (string.IsNullOrWhiteSpace(ChatId) ? ContactKinds.None : ContactKinds.Chat);

    /// <summary>Whether the customer has any of the contacts <paramref name="anyOf"/>: <see cref="ContactKinds"/> for those alone, checked at every send.</summary>
    internal bool HasAnyOf(ContactKinds anyOf) =>
        ((anyOf & ContactKinds.AppPush) != 0 && !string.IsNullOrWhiteSpace(PushToken))
        || ((anyOf & ContactKinds.Email) != 0 && !string.IsNullOrWhiteSpace(Email))
        || ((anyOf & ContactKinds.Phone) != 0 && !string.IsNullOrWhiteSpace(Phone))
        || ((anyOf & ContactKinds.WebPush) != 0 && !string.IsNullOrWhiteSpace(WebPushEndpoint))
        || ((anyOf & ContactKinds.Chat) != 0 && !string.IsNullOrWhiteSpace(ChatId));

    private static readonly IReadOnlyDictionary<string, string> EmptyAttributes = new Dictionary<string, string>();
}
