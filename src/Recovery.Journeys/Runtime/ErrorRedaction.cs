using System.Text.RegularExpressions;

namespace Recovery.Journeys.Runtime;

/// <summary>
/// Redacts the messages of the exceptions that channels, actions and providers throw before they are kept on a
/// timeline: a provider's error that quotes the customer's address must not put it in the store.
/// </summary>
/// <remarks>
/// A failed step's timeline entry keeps the exception's type and its message passed through
/// <see cref="JourneyEngineOptions.RedactError"/>, this class's <see cref="RemoveContactDetails"/> by default. Logs get the
/// type and the stack trace, never the message.
/// </remarks>
public static partial class ErrorRedaction
{
    /// <summary>
    /// Replaces e-mail addresses with <c>[e-mail]</c> and phone numbers (runs of 8 or more digits, with the spaces, dots,
    /// dashes, brackets and leading + that write them, that are not dates such as <c>2026-01-05</c>) with <c>[phone]</c>.
    /// </summary>
    /// <param name="message">The exception's message.</param>
    /// <returns>The message without contact details.</returns>
    public static string RemoveContactDetails(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var withoutEmails = EmailPattern().Replace(message, "[e-mail]");
        return PhonePattern().Replace(withoutEmails, m => m.Value.Count(char.IsAsciiDigit) >= 8 && !DatePattern().IsMatch(m.Value) ? "[phone]" : m.Value);
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\+?\(?\d[\d\s().\-]{6,}\d", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();
}
