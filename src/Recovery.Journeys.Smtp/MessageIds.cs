using System.Globalization;
using System.Net.Mail;
using System.Text;

namespace Recovery.Journeys.Smtp;

/// <summary>
/// Turns an idempotency key into a <c>Message-ID</c> that is the same on every attempt of a step, so that a resend
/// after a crash carries the id of the first attempt and receivers that deduplicate on it see one message.
/// </summary>
internal static class MessageIds
{
    /// <summary>
    /// Returns <c>&lt;{key}@{domain}&gt;</c>, with every character of the key that is not a letter, a digit, '-' or
    /// '_' written as '=' and its UTF-8 bytes in hex (':' becomes <c>=3A</c>), which keeps the id readable, valid
    /// (RFC 5322 dot-atom) and distinct for distinct keys.
    /// </summary>
    public static string Create(string idempotencyKey, string domain)
    {
        var id = new StringBuilder(idempotencyKey.Length + domain.Length + 8).Append('<');
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < idempotencyKey.Length; i++)
        {
            var c = idempotencyKey[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                id.Append(c);
                continue;
            }

            var length = char.IsHighSurrogate(c) && i + 1 < idempotencyKey.Length
                ? Encoding.UTF8.GetBytes(idempotencyKey.AsSpan(i++, 2), bytes)
                : Encoding.UTF8.GetBytes(idempotencyKey.AsSpan(i, 1), bytes);
            foreach (var b in bytes[..length])
            {
                id.Append('=').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return id.Append('@').Append(domain).Append('>').ToString();
    }

    /// <summary>The domain of the sender's address, in its ASCII (punycode) form, or <see langword="null"/> if it has none usable.</summary>
    public static string? DefaultDomain(string fromAddress)
    {
        if (!MailAddress.TryCreate(fromAddress, out var from))
        {
            return null;
        }

        try
        {
            var domain = new IdnMapping().GetAscii(from.Host);
            return IsValidDomain(domain) ? domain : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="domain"/> is ASCII labels of letters, digits and '-', separated by dots.</summary>
    public static bool IsValidDomain(string domain) =>
        domain.Length is > 0 and <= 253
        && domain.Split('.').All(label => label.Length is > 0 and <= 63 && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
}
