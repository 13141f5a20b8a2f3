namespace Recovery.Journeys.Channels;

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
