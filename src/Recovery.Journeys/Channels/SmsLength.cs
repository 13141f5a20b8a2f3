namespace Recovery.Journeys.Channels;

/// <summary>Counts SMS segments per GSM 03.38 / 3GPP TS 23.038.</summary>
internal static class SmsLength
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    // Characters of the extension table take two septets (an escape, then the character).
    private const string Extended = "^{}\\[~]|€\f";

    public static SmsEncoding EncodingOf(string text) =>
        text.All(c => Basic.Contains(c, StringComparison.Ordinal) || Extended.Contains(c, StringComparison.Ordinal)) ? SmsEncoding.Gsm7 : SmsEncoding.Ucs2;

    public static int SegmentsOf(string text)
    {
        if (EncodingOf(text) == SmsEncoding.Gsm7)
        {
            var septets = text.Sum(c => Extended.Contains(c, StringComparison.Ordinal) ? 2 : 1);
            return septets <= 160 ? 1 : (septets + 152) / 153;
        }

        // UCS-2 counts UTF-16 code units: an emoji outside the BMP takes two.
        return text.Length <= 70 ? 1 : (text.Length + 66) / 67;
    }
}
