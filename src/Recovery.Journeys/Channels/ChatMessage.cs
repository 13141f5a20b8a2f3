namespace Recovery.Journeys.Channels;

/// <summary>A rendered chat message (WhatsApp, Messenger, the shop's live chat). Reaches customers with a <see cref="Customers.Customer.ChatId"/>.</summary>
/// <param name="Text">The message text (plain text).</param>
[ChannelName("chat")]
[RequiresContact(ContactKinds.Chat)]
public sealed record ChatMessage(string Text)
{
    /// <summary>Suggested replies the customer can tap, if the chat supports them.</summary>
    public IReadOnlyList<string> QuickReplies { get; init; } = [];
}
