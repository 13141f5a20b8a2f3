namespace Recovery.Journeys.Smtp;

/// <summary>
/// Settings of the <see cref="SmtpEmailChannel"/>: the server, the sender and how long a send may take.
/// Checked by <c>UseSmtpEmail</c> when the host starts, and by the channel's constructor, with every problem listed at once.
/// </summary>
/// <remarks>The channel keeps a copy: changing the object after the channel was created has no effect.</remarks>
public sealed class SmtpEmailOptions
{
    /// <summary>The SMTP server's host name or IP address. Required.</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>The SMTP server's port.</summary>
    /// <value>The default is 25. Submission servers usually listen on 587 with <see cref="EnableSsl"/>.</value>
    public int Port { get; set; } = 25;

    /// <summary>Whether to switch the connection to TLS with <c>STARTTLS</c> before sending.</summary>
    /// <value>
    /// The default is <see langword="false"/>. System.Net.Mail only does STARTTLS: a server that only offers implicit
    /// TLS (port 465) cannot be used.
    /// </value>
    public bool EnableSsl { get; set; }

    /// <summary>The sender's address (<c>boutique@example.com</c>). Required.</summary>
    public string FromAddress { get; set; } = string.Empty;

    /// <summary>The sender's name shown to customers (<c>Ma Boutique</c>), or <see langword="null"/> for the address alone.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? FromDisplayName { get; set; }

    /// <summary>The user name to log in with, or <see langword="null"/> to send without logging in.</summary>
    /// <value>The default is <see langword="null"/>. Set together with <see cref="Password"/>.</value>
    public string? UserName { get; set; }

    /// <summary>The password to log in with, or <see langword="null"/> to send without logging in.</summary>
    /// <value>The default is <see langword="null"/>. Set together with <see cref="UserName"/>.</value>
    public string? Password { get; set; }

    /// <summary>
    /// How long one send may take, from connecting to the server's answer to the message, measured on the injected
    /// <see cref="TimeProvider"/>. A send that takes longer fails with a <see cref="TimeoutException"/>, which the
    /// engine retries.
    /// </summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The domain on the right of the <c>@</c> in the <c>Message-ID</c> header, or <see langword="null"/> for the
    /// domain of <see cref="FromAddress"/>.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? MessageIdDomain { get; set; }

    /// <summary>A copy of every option, one added later included.</summary>
    internal SmtpEmailOptions Copy() => (SmtpEmailOptions)MemberwiseClone();
}
