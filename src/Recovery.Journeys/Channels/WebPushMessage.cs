namespace Recovery.Journeys.Channels;

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
