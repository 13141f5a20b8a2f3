namespace Recovery.Journeys.Channels;

/// <summary>A rendered e-mail. Reaches customers with an <see cref="Customers.Customer.Email"/>.</summary>
/// <param name="Subject">The subject line (plain text).</param>
/// <param name="HtmlBody">The HTML body, in which template values are HTML-escaped; <see langword="null"/> for text only.</param>
/// <param name="TextBody">The plain-text body; <see langword="null"/> for HTML only.</param>
[ChannelName("email")]
[RequiresContact(ContactKinds.Email)]
public sealed record EmailMessage(string Subject, string? HtmlBody, string? TextBody);
