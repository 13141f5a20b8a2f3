namespace Recovery.Journeys.Channels;

/// <summary>How an SMS text is encoded on the wire.</summary>
public enum SmsEncoding
{
    /// <summary>The GSM 03.38 7-bit alphabet: 160 characters in one segment, 153 per segment when split.</summary>
    Gsm7 = 0,

    /// <summary>UCS-2, for any character outside GSM-7 (emoji, most accents): 70 in one segment, 67 per segment when split.</summary>
    Ucs2 = 1,
}
