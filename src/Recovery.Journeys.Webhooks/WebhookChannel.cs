using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Recovery.Journeys.Adapters;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Webhooks;

/// <summary>
/// Sends <see cref="WebhookMessage"/>s: an HTTP POST of the message's body to its URL, signed with the shared secret
/// (<see cref="SignatureHeader"/>, checked by receivers with <see cref="WebhookSignature.Verify(string, string?, ReadOnlySpan{byte}, DateTimeOffset, TimeSpan)"/>)
/// and carrying the delivery's idempotency key (<see cref="IdempotencyKeyHeader"/>).
/// </summary>
/// <remarks>
/// <para>
/// <b>Idempotency.</b> Every attempt of a step carries the same <c>Idempotency-Key</c>; a receiver that remembers the
/// keys it processed handles each call once, even when a call is repeated after a timeout or a crash. The
/// signature's timestamp is that of each attempt.
/// </para>
/// <para>
/// <b>Responses.</b> 2xx: sent. 3xx and 4xx, among them 400, 401, 403, 404, 410 and 422: the same call will never
/// succeed, <see cref="PermanentDeliveryException"/> (redirects are not followed: configure the final URL). 408,
/// 409, 425, 429 and 5xx: transient, <see cref="HttpRequestException"/> with the status code, retried by the engine;
/// so are network errors, and <see cref="TimeoutException"/> after <see cref="WebhookOptions.Timeout"/>. A message
/// whose URL is not an absolute http(s) URL, or whose content type is not a media type, is permanent too.
/// </para>
/// <para>
/// <b>Thread safety.</b> Thread-safe, as <see cref="HttpClient"/> is. Error messages name the endpoint's host, never
/// its path or query, which may carry tokens or personal data.
/// </para>
/// </remarks>
public sealed partial class WebhookChannel : IChannel<WebhookMessage>
{
    /// <summary>The header that carries the signature, <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>.</summary>
    public const string SignatureHeader = "Recovery-Signature";

    /// <summary>The header that carries the delivery's idempotency key.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// The name of the <see cref="HttpClient"/> that <c>UseWebhooks</c> registers with <c>IHttpClientFactory</c>, for
    /// adding handlers: <c>services.AddHttpClient(WebhookChannel.HttpClientName).AddHttpMessageHandler(...)</c>.
    /// </summary>
    public const string HttpClientName = "Recovery.Journeys.Webhooks";

    private static readonly ProductInfoHeaderValue UserAgent = new(
        "Recovery.Journeys.Webhooks",
        typeof(WebhookChannel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    private readonly Func<HttpClient> _httpClient;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the channel on a given <see cref="HttpClient"/>.</summary>
    /// <param name="httpClient">
    /// Sends the calls; shared, not disposed by the channel. Its own <see cref="HttpClient.Timeout"/> should be longer
    /// than <see cref="WebhookOptions.Timeout"/>, and its handler should not follow redirects (a followed 301 or 302
    /// turns the POST into a GET); <c>UseWebhooks</c> sets up a client that way.
    /// </param>
    /// <param name="options">The secret and the timeout; copied, so later changes to the object have no effect.</param>
    /// <param name="timeProvider">The channel's clock: it stamps the signatures and measures the timeout.</param>
    /// <param name="loggerFactory">Where to log each call's answer (debug level, the endpoint's host only); nowhere when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the exception lists every problem.</exception>
    public WebhookChannel(HttpClient httpClient, WebhookOptions options, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
        : this(Shared(httpClient), options, timeProvider, loggerFactory)
    {
    }

    /// <summary>Creates the channel on clients from <c>IHttpClientFactory</c>, one per call, as the factory recommends.</summary>
    internal WebhookChannel(Func<HttpClient> httpClient, WebhookOptions options, TimeProvider timeProvider, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = AdapterOptions.ValidatedCopy(options, new WebhookOptionsValidator(), o => o.Copy());
        _httpClient = httpClient;
        _timeProvider = timeProvider;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<WebhookChannel>();
    }

    /// <summary>The channel's own copy of its options.</summary>
    internal WebhookOptions Options => _options;

    /// <summary>POSTs the message's body to its URL and returns once the endpoint has answered with a 2xx status.</summary>
    /// <param name="delivery">The message, its recipient and its idempotency key.</param>
    /// <param name="cancellationToken">Abandons the call; the engine sends again later with the same key.</param>
    /// <returns>What became of the message.</returns>
    /// <exception cref="PermanentDeliveryException">The endpoint refused the call for good, or the message cannot be sent as it is.</exception>
    /// <exception cref="TimeoutException">The endpoint did not answer within <see cref="WebhookOptions.Timeout"/>.</exception>
    /// <exception cref="HttpRequestException">A transient failure: the endpoint could not be reached, or answered a status that may change.</exception>
    public async ValueTask<DeliveryReceipt> SendAsync(Delivery<WebhookMessage> delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var message = delivery.Message;
        if (!Uri.TryCreate(message.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new PermanentDeliveryException("The webhook URL is not an absolute http or https URL.");
        }

        if (!MediaTypeHeaderValue.TryParse(message.ContentType, out var contentType))
        {
            throw new PermanentDeliveryException($"The webhook content type '{message.ContentType}' is not a media type.");
        }

        if (contentType.CharSet is null && contentType.MediaType is { } mediaType && (mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase)))
        {
            contentType.CharSet = "utf-8";
        }

        var body = Encoding.UTF8.GetBytes(message.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = contentType } },
        };
        request.Headers.UserAgent.Add(UserAgent);
        request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, delivery.IdempotencyKey);
        request.Headers.TryAddWithoutValidation(SignatureHeader, WebhookSignature.Compute(_options.Secret, _timeProvider.GetUtcNow(), body));

        using var timeout = new CancellationTokenSource(_options.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpStatusCode status;
        string? reason;
        try
        {
            // Only the status matters: the body is not read, and disposing the response lets the connection go.
            using var response = await _httpClient().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            (status, reason) = (response.StatusCode, response.ReasonPhrase);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The webhook endpoint {url.Authority} did not answer within {_options.Timeout}; the call will be made again.");
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The HttpClient's own Timeout, shorter than ours: still a timeout, not a shutdown.
            throw new TimeoutException($"The webhook endpoint {url.Authority} did not answer within the HttpClient's timeout; the call will be made again.", e);
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException(e.HttpRequestError, $"The webhook endpoint {url.Authority} could not be reached ({e.Message}); the call will be made again.", e, e.StatusCode);
        }

        var code = (int)status;
        var answer = string.IsNullOrEmpty(reason) ? $"{code}" : $"{code} {reason}";
        Log.Answered(_logger, url.Authority, code, delivery.IdempotencyKey);
        return code switch
        {
            >= 200 and < 300 => DeliveryReceipt.Sent(),
            >= 300 and < 400 => throw new PermanentDeliveryException($"The webhook endpoint {url.Authority} answered {answer}; redirects are not followed, configure the final URL."),
            408 or 409 or 425 or 429 => throw Transient(),
            >= 400 and < 500 => throw new PermanentDeliveryException($"The webhook endpoint {url.Authority} answered {answer}; the call will not be made again."),
            _ => throw Transient(),
        };

        HttpRequestException Transient() =>
            new($"The webhook endpoint {url.Authority} answered {answer}; the call will be made again.", inner: null, status);
    }

    private static Func<HttpClient> Shared(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        return () => httpClient;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 810, Level = LogLevel.Debug, Message = "The webhook endpoint {Endpoint} answered {StatusCode} to the call {IdempotencyKey}")]
        public static partial void Answered(ILogger logger, string endpoint, int statusCode, string idempotencyKey);
    }
}
