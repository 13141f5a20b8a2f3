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
