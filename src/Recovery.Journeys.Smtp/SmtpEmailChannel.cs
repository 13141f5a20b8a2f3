using System.Globalization;
using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Recovery.Journeys.Adapters;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Smtp;

/// <summary>
/// Sends <see cref="EmailMessage"/>s through an SMTP server with System.Net.Mail: to the customer's
/// <see cref="Customers.Customer.Email"/>, as <c>multipart/alternative</c> when the message has both a text and an
/// HTML body, in UTF-8 throughout.
/// </summary>
/// <remarks>
/// <para>
/// <b>Idempotency.</b> Every attempt of a step carries the same <c>Message-ID</c>, made from the delivery's
/// idempotency key (<c>&lt;{instance}=3A{step}@{domain}&gt;</c>), and the key itself in an <c>X-Idempotency-Key</c>
/// header: a resend after a crash is recognisable as the same message by servers and clients that deduplicate on
/// <c>Message-ID</c>. SMTP itself cannot refuse a duplicate, so delivery is at least once.
/// </para>
/// <para>
/// <b>Failures.</b> A reply of 550 to 554 to the recipient or the message (unknown mailbox, mailbox name not allowed,
/// message refused) and an address that is not an e-mail address throw <see cref="PermanentDeliveryException"/>: the
/// engine does not retry them. Everything else is transient and retried: a connection that cannot be made or
/// breaks, a timeout (<see cref="TimeoutException"/> after <see cref="SmtpEmailOptions.Timeout"/>), 4xx replies,
/// and the 5xx replies that point at the server's set-up rather than at this message (500 to 504 command errors,
/// 530 and 535 authentication), so that sends resume once the set-up is fixed.
/// </para>
/// <para>
/// <b>Thread safety.</b> Thread-safe: each send uses its own <see cref="SmtpClient"/> (which is not thread-safe) and
/// its own connection, closed after the send. How many sends run at once is bounded by the engine's
/// <c>JourneyEngineOptions.MaxConcurrentSteps</c>.
/// </para>
/// </remarks>
public sealed partial class SmtpEmailChannel : IChannel<EmailMessage>
{
    /// <summary>The header that carries the delivery's idempotency key.</summary>
    public const string IdempotencyKeyHeader = "X-Idempotency-Key";

    // The channel name of EmailMessage ([ChannelName("email")]), which the engine signs {{unsubscribeUrl}} with too.
    private const string EmailChannelName = "email";

    private readonly SmtpEmailOptions _options;
    private readonly MailAddress _from;
    private readonly NetworkCredential? _credentials;
    private readonly string _messageIdDomain;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly UnsubscribeLinks? _unsubscribeLinks;

    /// <summary>
    /// Creates the channel with signed unsubscribe links: each e-mail to a known customer carries
    /// <c>List-Unsubscribe</c> (the customer's link) and <c>List-Unsubscribe-Post: List-Unsubscribe=One-Click</c>
    /// (RFC 8058), so mail clients show an unsubscribe button that POSTs to the link.
    /// </summary>
    /// <param name="options">The server and sender; validated and copied.</param>
    /// <param name="timeProvider">The clock of the SMTP client's timeouts.</param>
    /// <param name="unsubscribeLinks">Signs the links (the same as the engine's <c>UseUnsubscribeLinks</c>); no headers when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Where to log; nothing when <see langword="null"/>.</param>
    public SmtpEmailChannel(SmtpEmailOptions options, TimeProvider timeProvider, UnsubscribeLinks? unsubscribeLinks, ILoggerFactory? loggerFactory)
        : this(options, timeProvider, loggerFactory)
    {
        _unsubscribeLinks = unsubscribeLinks;
    }

    /// <summary>Creates the channel.</summary>
    /// <param name="options">The server and the sender; copied, so later changes to the object have no effect.</param>
    /// <param name="timeProvider">The channel's clock: it measures <see cref="SmtpEmailOptions.Timeout"/>.</param>
    /// <param name="loggerFactory">Where to log each accepted e-mail (debug level, ids only); nowhere when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the exception lists every problem.</exception>
    public SmtpEmailChannel(SmtpEmailOptions options, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = AdapterOptions.ValidatedCopy(options, new SmtpEmailOptionsValidator(), o => o.Copy());
        _from = new MailAddress(_options.FromAddress, _options.FromDisplayName, Encoding.UTF8);
        _credentials = _options.UserName is null ? null : new NetworkCredential(_options.UserName, _options.Password);
        _messageIdDomain = _options.MessageIdDomain ?? MessageIds.DefaultDomain(_options.FromAddress)!;
        _timeProvider = timeProvider;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SmtpEmailChannel>();
    }

    /// <summary>The channel's own copy of its options.</summary>
    internal SmtpEmailOptions Options => _options;

    /// <summary>
    /// Sends the e-mail and returns once the server has accepted it, with its <c>Message-ID</c> as the receipt's
    /// <see cref="DeliveryReceipt.ProviderMessageId"/>. A customer without an e-mail address is skipped.
    /// </summary>
    /// <param name="delivery">The message, its recipient and its idempotency key.</param>
    /// <param name="cancellationToken">Abandons the send (the connection is closed); the engine sends again later with the same key.</param>
    /// <returns>What became of the message.</returns>
    /// <exception cref="PermanentDeliveryException">The server refused the recipient or the message for good, or the address is invalid.</exception>
    /// <exception cref="TimeoutException">The server did not accept the message within <see cref="SmtpEmailOptions.Timeout"/>.</exception>
    /// <exception cref="SmtpException">A transient failure: no connection, a broken one, or a reply that may change.</exception>
    public async ValueTask<DeliveryReceipt> SendAsync(Delivery<EmailMessage> delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (string.IsNullOrWhiteSpace(delivery.Recipient.Email))
        {
            return DeliveryReceipt.Skipped("no e-mail address");
        }

        // Started before anything else so that the whole send, connecting included, is bounded.
        using var timeout = new CancellationTokenSource(_options.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var messageId = MessageIds.Create(delivery.IdempotencyKey, _messageIdDomain);
        using var mail = Compose(delivery, messageId);
        using var client = new SmtpClient(_options.Host, _options.Port)
        {
            EnableSsl = _options.EnableSsl,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            UseDefaultCredentials = false,
            Credentials = _credentials,
        };

        try
        {
            await client.SendMailAsync(mail, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The SMTP server {_options.Host}:{_options.Port} did not accept the e-mail within {_options.Timeout}; it will be sent again.");
        }
        catch (SmtpFailedRecipientException e) when (IsPermanent(e.StatusCode))
        {
            throw new PermanentDeliveryException($"The SMTP server refused the recipient for good ({Describe(e.StatusCode)}).", e);
        }
        catch (SmtpException e) when (IsPermanent(e.StatusCode))
        {
            throw new PermanentDeliveryException($"The SMTP server refused the e-mail for good ({Describe(e.StatusCode)}).", e);
        }
        catch (SmtpFailedRecipientException e)
        {
            // The server's text is left out: it often repeats the address, which is personal data.
            throw new SmtpException($"The SMTP server {_options.Host}:{_options.Port} deferred the recipient ({Describe(e.StatusCode)}); it will be sent again.", e);
        }
        catch (SmtpException e)
        {
            // "Failure sending mail." alone does not tell an operator what went wrong: name the server and the cause.
            var cause = e.StatusCode == SmtpStatusCode.GeneralFailure ? (e.InnerException ?? e).GetBaseException().Message : $"{Describe(e.StatusCode)}: {e.Message}";
            throw new SmtpException($"Sending through the SMTP server {_options.Host}:{_options.Port} failed ({cause}); it will be sent again.", e);
        }

        Log.Accepted(_logger, messageId, _options.Host, _options.Port);
        return DeliveryReceipt.Sent(messageId);
    }

    private MailMessage Compose(Delivery<EmailMessage> delivery, string messageId)
    {
        var message = delivery.Message;
        if (message.HtmlBody is null && message.TextBody is null)
        {
            throw new PermanentDeliveryException("The e-mail has neither an HTML nor a text body.");
        }

        MailAddress to;
        try
        {
            to = new MailAddress(delivery.Recipient.Email!.Trim(), SingleLine(delivery.Recipient.Name), Encoding.UTF8);
        }
        catch (FormatException e)
        {
            // The address itself stays out of the message: it is personal data, and the message goes to the timeline.
            throw new PermanentDeliveryException($"The e-mail address of customer '{delivery.Recipient.Id}' is not valid.", e);
        }

        var mail = new MailMessage
        {
            From = _from,
            Subject = SingleLine(message.Subject),
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            BodyEncoding = Encoding.UTF8,
        };
        mail.To.Add(to);
        mail.Headers.Add("Message-ID", messageId);
        mail.Headers.Add(IdempotencyKeyHeader, delivery.IdempotencyKey);
        if (_unsubscribeLinks is not null && !string.IsNullOrEmpty(delivery.Recipient.Id))
        {
            // RFC 8058: the link in angle brackets, and the POST body a one-click client sends to it.
            mail.Headers.Add("List-Unsubscribe", $"<{_unsubscribeLinks.Create(delivery.Recipient.Id, EmailChannelName).AbsoluteUri}>");
            mail.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        if (message.TextBody is { } text && message.HtmlBody is { } html)
        {
            // Least preferred first (RFC 2046): clients that render HTML show the last part.
            mail.AlternateViews.Add(View(text, MediaTypeNames.Text.Plain));
            mail.AlternateViews.Add(View(html, MediaTypeNames.Text.Html));
        }
        else
        {
            mail.Body = Canonical(message.TextBody ?? message.HtmlBody!);
            mail.IsBodyHtml = message.TextBody is null;
            mail.BodyTransferEncoding = TransferEncoding.Base64;
        }

        return mail;
    }

    private static AlternateView View(string content, string mediaType)
    {
        var view = AlternateView.CreateAlternateViewFromString(Canonical(content), Encoding.UTF8, mediaType);
        view.TransferEncoding = TransferEncoding.Base64;
        return view;
    }

    // Text in MIME has CRLF line breaks; Base64 keeps every byte as it is (System.Net.Mail's quoted-printable
    // encodes line breaks as =0D=0A, which some clients show badly).
    private static string Canonical(string body) => body.ReplaceLineEndings("\r\n");

    // A subject or a display name with a line break would be refused by MailMessage (header injection).
    private static string? SingleLine(string? text) =>
        text?.ReplaceLineEndings(" ").Trim();

    private static bool IsPermanent(SmtpStatusCode code) => (int)code is >= 550 and <= 554;

    private static string Describe(SmtpStatusCode code) =>
        Enum.IsDefined(code) ? $"{(int)code} {code}" : ((int)code).ToString(CultureInfo.InvariantCulture);

    private static partial class Log
    {
        [LoggerMessage(EventId = 800, Level = LogLevel.Debug, Message = "The SMTP server {Host}:{Port} accepted the e-mail {MessageId}")]
        public static partial void Accepted(ILogger logger, string messageId, string host, int port);
    }
}
