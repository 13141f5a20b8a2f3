namespace Recovery.Journeys.Channels;

/// <summary>A rendered app push notification.</summary>
/// <param name="Title">The notification's title, or <see langword="null"/> for a body-only notification.</param>
/// <param name="Body">The notification's text (plain text, never HTML-escaped).</param>
[ChannelName("push")]
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

/// <summary>A rendered e-mail. The recipient's address is <see cref="Customers.Customer.Email"/>.</summary>
/// <param name="Subject">The subject line (plain text).</param>
/// <param name="HtmlBody">The HTML body, in which template values are HTML-escaped; <see langword="null"/> for text only.</param>
/// <param name="TextBody">The plain-text body; <see langword="null"/> for HTML only.</param>
[ChannelName("email")]
public sealed record EmailMessage(string Subject, string? HtmlBody, string? TextBody);

/// <summary>A rendered SMS. The recipient's number is <see cref="Customers.Customer.Phone"/>.</summary>
/// <param name="Text">The message text (plain text).</param>
[ChannelName("sms")]
public sealed record SmsMessage(string Text);
