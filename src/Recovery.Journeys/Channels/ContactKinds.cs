using Recovery.Journeys.Customers;

namespace Recovery.Journeys.Channels;

/// <summary>The ways a customer can be reached.</summary>
[Flags]
public enum ContactKinds
{
    /// <summary>No contact is needed (webhooks, CRM lists, on-site messages).</summary>
    None = 0,

    /// <summary>An e-mail address (<see cref="Customer.Email"/>).</summary>
    Email = 1,

    /// <summary>A phone number (<see cref="Customer.Phone"/>).</summary>
    Phone = 2,

    /// <summary>An app push token (<see cref="Customer.PushToken"/>).</summary>
    AppPush = 4,

    /// <summary>A browser push subscription (<see cref="Customer.WebPushEndpoint"/>).</summary>
    WebPush = 8,

    /// <summary>A chat handle (<see cref="Customer.ChatId"/>).</summary>
    Chat = 16,
}
