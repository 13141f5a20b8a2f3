using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace Recovery.Journeys.Smtp;

/// <summary>Checks <see cref="SmtpEmailOptions"/> and reports every problem at once.</summary>
internal sealed class SmtpEmailOptionsValidator : IValidateOptions<SmtpEmailOptions>
{
    // SmtpClient takes its timeout in milliseconds as an int.
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    public ValidateOptionsResult Validate(string? name, SmtpEmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Failures(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Failures(SmtpEmailOptions options)
    {
        const string Prefix = "SmtpEmailOptions.";
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            yield return $"{Prefix}{nameof(options.Host)} is required: the SMTP server's host name or IP address.";
        }

        if (options.Port is < 1 or > 65535)
        {
            yield return $"{Prefix}{nameof(options.Port)} must be between 1 and 65535; it is {options.Port}.";
        }

        if (string.IsNullOrWhiteSpace(options.FromAddress))
        {
            yield return $"{Prefix}{nameof(options.FromAddress)} is required: the address e-mails are sent from.";
        }
        else if (!MailAddress.TryCreate(options.FromAddress, out var from) || from.DisplayName.Length > 0)
        {
            yield return $"{Prefix}{nameof(options.FromAddress)} '{options.FromAddress}' is not a plain e-mail address (put the name in {nameof(options.FromDisplayName)}).";
        }

        if (options.UserName is null != options.Password is null)
        {
            yield return $"{Prefix}{nameof(options.UserName)} and {nameof(options.Password)} must be set together, or both left null to send without logging in.";
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > MaxTimeout)
        {
            yield return $"{Prefix}{nameof(options.Timeout)} must be positive and at most {MaxTimeout}; it is {options.Timeout}.";
        }

        if (options.MessageIdDomain is { } domain)
        {
            if (!MessageIds.IsValidDomain(domain))
            {
                yield return $"{Prefix}{nameof(options.MessageIdDomain)} '{domain}' is not a domain name (ASCII letters, digits, '-' and '.').";
            }
        }
        else if (MailAddress.TryCreate(options.FromAddress, out _) && MessageIds.DefaultDomain(options.FromAddress) is null)
        {
            yield return $"{Prefix}{nameof(options.MessageIdDomain)} is required when the domain of {nameof(options.FromAddress)} cannot be used in a Message-ID.";
        }
    }
}
