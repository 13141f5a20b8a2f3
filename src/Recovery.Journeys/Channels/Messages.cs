namespace Recovery.Journeys.Channels;

/// <summary>A rendered app push notification. Reaches customers with an <see cref="Customers.Customer.PushToken"/>.</summary>
/// <param name="Title">The notification's title, or <see langword="null"/> for a body-only notification.</param>
/// <param name="Body">The notification's text (plain text, never HTML-escaped).</param>
[ChannelName("push")]
[RequiresContact(ContactKinds.AppPush)]
public sealed record PushMessage(string? Title, string Body)
{
    /// <summary>An icon or emoji shown with the notification (<c>⏳</c>), if any.</summary>
    public string? Icon { get; init; }

    /// <summary>The link opened on tap (<c>myshop://checkout/pay?order=1234</c>), if any.</summary>
    public string? DeepLink { get; init; }

    /// <summary>Key/value data for the app, rendered from templates.</summary>
    public IReadOnlyDictionary<string, string> Data { get; init; } = EmptyData;

    internal static readonly IReadOnlyDictionary<string, string> EmptyData = new Dictionary<string, string>();
}

/// <summary>A rendered browser (web) push notification. Reaches customers with a <see cref="Customers.Customer.WebPushEndpoint"/>.</summary>
/// <param name="Title">The notification's title.</param>
/// <param name="Body">The notification's text (plain text).</param>
[ChannelName("web-push")]
[RequiresContact(ContactKinds.WebPush)]
public sealed record WebPushMessage(string Title, string Body)
{
    /// <summary>The URL of an icon image, if any.</summary>
    public string? IconUrl { get; init; }

    /// <summary>The page opened on click, if any.</summary>
    public string? Url { get; init; }
}

/// <summary>A rendered e-mail. Reaches customers with an <see cref="Customers.Customer.Email"/>.</summary>
/// <param name="Subject">The subject line (plain text).</param>
/// <param name="HtmlBody">The HTML body, in which template values are HTML-escaped; <see langword="null"/> for text only.</param>
/// <param name="TextBody">The plain-text body; <see langword="null"/> for HTML only.</param>
[ChannelName("email")]
[RequiresContact(ContactKinds.Email)]
public sealed record EmailMessage(string Subject, string? HtmlBody, string? TextBody);

/// <summary>A rendered SMS. Reaches customers with a <see cref="Customers.Customer.Phone"/>.</summary>
/// <param name="Text">The message text (plain text).</param>
[ChannelName("sms")]
[RequiresContact(ContactKinds.Phone)]
public sealed record SmsMessage(string Text)
{
    /// <summary>The encoding the text needs: GSM-7 when every character is in the GSM 03.38 alphabet, UCS-2 otherwise.</summary>
    public SmsEncoding Encoding => SmsLength.EncodingOf(Text);

    /// <summary>How many SMS segments the text takes (160/153 GSM-7 units or 70/67 UCS-2 units per segment).</summary>
    public int Segments => SmsLength.SegmentsOf(Text);
}

/// <summary>A rendered on-site or in-app message (an exit-intent layer, a banner), shown on the customer's next visit.</summary>
/// <param name="Placement">Where the site shows it (<c>exit-intent</c>, <c>banner</c>); the host decides what placements exist.</param>
/// <param name="Body">The message text (plain text).</param>
[ChannelName("on-site")]
public sealed record OnSiteMessage(string Placement, string Body)
{
    /// <summary>A title, if any.</summary>
    public string? Title { get; init; }

    /// <summary>The call-to-action button's text, if any.</summary>
    public string? ActionText { get; init; }

    /// <summary>The call-to-action's link, if any.</summary>
    public string? ActionUrl { get; init; }
}

/// <summary>A rendered chat message (WhatsApp, Messenger, the shop's live chat). Reaches customers with a <see cref="Customers.Customer.ChatId"/>.</summary>
/// <param name="Text">The message text (plain text).</param>
[ChannelName("chat")]
[RequiresContact(ContactKinds.Chat)]
public sealed record ChatMessage(string Text)
{
    /// <summary>Suggested replies the customer can tap, if the chat supports them.</summary>
    public IReadOnlyList<string> QuickReplies { get; init; } = [];
}

/// <summary>Whether a customer joins or leaves a list or an audience.</summary>
public enum MembershipChange
{
    /// <summary>Add the customer.</summary>
    Add = 0,

    /// <summary>Remove the customer.</summary>
    Remove = 1,
}

/// <summary>
/// Adds the customer to, or removes them from, a retargeting-ad audience (matched by the ad platform on hashed
/// e-mail or phone). Reaches customers with an e-mail address or a phone number.
/// </summary>
/// <param name="Audience">The audience's name or id at the ad platform.</param>
/// <param name="Change">Add or remove.</param>
[ChannelName("ad-audience")]
[RequiresContact(ContactKinds.Email | ContactKinds.Phone)]
public sealed record AudienceUpdate(string Audience, MembershipChange Change);

/// <summary>Adds the customer to, or removes them from, a CRM contact list (a coupon-eligibility list, say).</summary>
/// <param name="List">The list's name or id in the CRM.</param>
/// <param name="Change">Add or remove.</param>
[ChannelName("crm-list")]
public sealed record CrmListUpdate(string List, MembershipChange Change);

/// <summary>A rendered webhook call: an HTTP POST of <paramref name="Body"/> to <paramref name="Url"/>.</summary>
/// <param name="Url">The endpoint.</param>
/// <param name="Body">The request body (JSON unless <see cref="ContentType"/> says otherwise).</param>
[ChannelName("webhook")]
public sealed record WebhookMessage(string Url, string Body)
{
    /// <summary>The body's media type.</summary>
    /// <value>The default is <c>application/json</c>.</value>
    public string ContentType { get; init; } = "application/json";
}
