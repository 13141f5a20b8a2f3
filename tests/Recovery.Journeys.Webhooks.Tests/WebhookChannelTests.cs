using System.Net;
using System.Net.Sockets;
using System.Text;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Webhooks.Tests.Fixtures;

namespace Recovery.Journeys.Webhooks.Tests;

public sealed class WebhookChannelTests : IAsyncLifetime
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly WebhookReceiver _receiver = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 1, 5, 9, 0));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _receiver.DisposeAsync();
    }

    private WebhookChannel Channel(TimeSpan? timeout = null) => new(_http, Deliveries.Options(timeout), _clock);

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(202)]
    [InlineData(204)]
    public async Task SendAsync_2xx_PostsTheBodyAsSentAndReportsSent(int status)
    {
        var delivery = Deliveries.Webhook(_receiver.Url($"/status/{status}"));

        var receipt = await Channel().SendAsync(delivery, CancellationToken.None);

        receipt.Should().Be(DeliveryReceipt.Sent());
        var request = _receiver.Requests.Should().ContainSingle().Subject;
        request.Method.Should().Be("POST");
        request.PathAndQuery.Should().Be($"/status/{status}");
        request.BodyText.Should().Be("""{"event":"checkout.abandoned","orderId":"CMD-42","customer":"Hélène 🛒"}""");
        request.Header("Content-Type").Should().Be("application/json; charset=utf-8");
        request.Header(WebhookChannel.IdempotencyKeyHeader).Should().Be(delivery.IdempotencyKey);
        request.Header("User-Agent").Should().StartWith("Recovery.Journeys.Webhooks/");
    }

    [Fact]
    public async Task SendAsync_Signature_VerifiesWithTheSharedSecretAtTheInjectedTime()
    {
        var delivery = Deliveries.Webhook(_receiver.Url("/hooks/recovery"));

        await Channel().SendAsync(delivery, CancellationToken.None);

        var request = _receiver.Requests.Single();
        var header = request.Header(WebhookChannel.SignatureHeader);
        header.Should().StartWith("t=1767603600,v1=", "the timestamp is the injected clock's, 2026-01-05T09:00:00Z");
        WebhookSignature.Verify(Deliveries.Secret, header, request.Body, _clock.GetUtcNow(), WebhookSignature.DefaultTolerance).Should().BeTrue();
        WebhookSignature.Verify(Deliveries.Secret, header, request.BodyText, _clock.GetUtcNow(), WebhookSignature.DefaultTolerance).Should().BeTrue();
    }

    [Fact]
    public async Task SendAsync_Signature_FailsForAnotherSecretATamperedBodyOrALateReceiver()
    {
        await Channel().SendAsync(Deliveries.Webhook(_receiver.Url("/hooks/recovery")), CancellationToken.None);

        var request = _receiver.Requests.Single();
        var header = request.Header(WebhookChannel.SignatureHeader);
        var now = _clock.GetUtcNow();
        var tampered = Encoding.UTF8.GetBytes(request.BodyText.Replace("CMD-42", "CMD-43", StringComparison.Ordinal));
        WebhookSignature.Verify("whsec_another_secret_of_the_same_size", header, request.Body, now, WebhookSignature.DefaultTolerance).Should().BeFalse();
        WebhookSignature.Verify(Deliveries.Secret, header, tampered, now, WebhookSignature.DefaultTolerance).Should().BeFalse();
        WebhookSignature.Verify(Deliveries.Secret, header, request.Body, now.AddMinutes(5).AddSeconds(1), WebhookSignature.DefaultTolerance).Should().BeFalse("a replay after the tolerance is refused");
        WebhookSignature.Verify(Deliveries.Secret, header, request.Body, now.AddMinutes(5), WebhookSignature.DefaultTolerance).Should().BeTrue();
    }

    [Fact]
    public async Task SendAsync_SameDeliveryAgain_CarriesTheSameIdempotencyKeyAndAFreshSignature()
    {
        // A retry after a timeout or a crash: the engine sends the same delivery again, later.
        var channel = Channel();
        var delivery = Deliveries.Webhook(_receiver.Url("/hooks/recovery"));

        await channel.SendAsync(delivery, CancellationToken.None);
        _clock.Advance(Duration.FromMinutes(10));
        await channel.SendAsync(delivery, CancellationToken.None);

        var requests = _receiver.RequestsFor(delivery.IdempotencyKey);
        requests.Should().HaveCount(2);
        requests.Select(r => r.Header(WebhookChannel.SignatureHeader)![..12]).Should().Equal("t=1767603600", "t=1767604200");
        WebhookSignature.Verify(Deliveries.Secret, requests[1].Header(WebhookChannel.SignatureHeader), requests[1].Body, _clock.GetUtcNow(), WebhookSignature.DefaultTolerance).Should().BeTrue();
    }

    [Fact]
    public async Task SendAsync_DifferentSteps_CarryDifferentIdempotencyKeys()
    {
        var first = Deliveries.Webhook(_receiver.Url("/hooks"));
        var second = first with { IdempotencyKey = $"{first.InstanceId}:notify-crm-again", StepId = "notify-crm-again" };

        await Channel().SendAsync(first, CancellationToken.None);
        await Channel().SendAsync(second, CancellationToken.None);

        _receiver.Requests.Select(r => r.Header(WebhookChannel.IdempotencyKeyHeader)).Should().Equal(first.IdempotencyKey, second.IdempotencyKey);
    }

    [Theory]
    [InlineData(400, "Bad Request")]
    [InlineData(401, "Unauthorized")]
    [InlineData(403, "Forbidden")]
    [InlineData(404, "Not Found")]
    [InlineData(405, "Method Not Allowed")]
    [InlineData(410, "Gone")]
    [InlineData(413, "Request Entity Too Large")]
    [InlineData(422, "Unprocessable Entity")]
    public async Task SendAsync_4xxThatWillNotChange_ThrowsPermanentDeliveryException(int status, string reason)
    {
        var delivery = Deliveries.Webhook(_receiver.Url($"/status/{status}?token=s3cr3t-in-query"));

        var act = async () => await Channel().SendAsync(delivery, CancellationToken.None);

        var thrown = (await act.Should().ThrowAsync<PermanentDeliveryException>()).Which;
        thrown.Message.Should().Be($"The webhook endpoint 127.0.0.1:{_receiver.Port} answered {status} {reason}; the call will not be made again.");
        _receiver.Requests.Should().ContainSingle();
    }

    [Theory]
    [InlineData(408)]
    [InlineData(409)]
    [InlineData(425)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task SendAsync_StatusThatMayChange_ThrowsTransientWithTheStatus(int status)
    {
        var delivery = Deliveries.Webhook(_receiver.Url($"/status/{status}"));

        var act = async () => await Channel().SendAsync(delivery, CancellationToken.None);

        var thrown = (await act.Should().ThrowAsync<HttpRequestException>()).Which;
        thrown.StatusCode.Should().Be((HttpStatusCode)status);
        thrown.Message.Should().StartWith($"The webhook endpoint 127.0.0.1:{_receiver.Port} answered {status}").And.EndWith("; the call will be made again.");
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task SendAsync_Redirect_IsNotFollowedAndIsPermanent(int status)
    {
        var delivery = Deliveries.Webhook(_receiver.Url($"/status/{status}"));

        var act = async () => await Channel().SendAsync(delivery, CancellationToken.None);

        (await act.Should().ThrowAsync<PermanentDeliveryException>()).Which.Message.Should().EndWith("redirects are not followed, configure the final URL.");
        _receiver.Requests.Select(r => r.PathAndQuery).Should().Equal($"/status/{status}");
    }

    [Fact]
    public async Task SendAsync_EndpointNeverAnswers_TimesOutOnTheInjectedClock()
    {
        // Longer than the guard: only the injected clock can make this test pass.
        var channel = Channel(timeout: TimeSpan.FromMinutes(10));

        var send = channel.SendAsync(Deliveries.Webhook(_receiver.Url("/hold")), CancellationToken.None).AsTask();
        await _receiver.WaitForRequestAsync();
        _clock.Advance(Duration.FromMinutes(10) - Duration.FromSeconds(1));
        send.IsCompleted.Should().BeFalse("the timeout is 10 minutes on the injected clock");
        _clock.Advance(Duration.FromSeconds(1));

        var thrown = (await send.Invoking(s => s).Should().ThrowAsync<TimeoutException>().WaitAsync(Guard)).Which;
        thrown.Message.Should().Be($"The webhook endpoint 127.0.0.1:{_receiver.Port} did not answer within 00:10:00; the call will be made again.");
    }

    [Fact]
    public async Task SendAsync_CallerCancels_ThrowsOperationCanceledNotTimeout()
    {
        using var shutdown = new CancellationTokenSource();

        var send = Channel().SendAsync(Deliveries.Webhook(_receiver.Url("/hold")), shutdown.Token).AsTask();
        await _receiver.WaitForRequestAsync();
        await shutdown.CancelAsync();

        var thrown = (await send.Invoking(s => s).Should().ThrowAsync<OperationCanceledException>().WaitAsync(Guard)).Which;
        thrown.Should().NotBeOfType<TimeoutException>();
    }

    [Fact]
    public async Task SendAsync_ConnectionRefused_ThrowsTransientNamingTheHostOnly()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var act = async () => await Channel().SendAsync(Deliveries.Webhook($"http://127.0.0.1:{closedPort}/hooks?token=s3cr3t"), CancellationToken.None);

        var thrown = (await act.Should().ThrowAsync<HttpRequestException>()).Which;
        thrown.Should().NotBeOfType<PermanentDeliveryException>();
        thrown.HttpRequestError.Should().Be(HttpRequestError.ConnectionError);
        thrown.Message.Should().StartWith($"The webhook endpoint 127.0.0.1:{closedPort} could not be reached (").And.NotContain("s3cr3t");
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("ftp://files.shop.example/hook")]
    [InlineData("file:///etc/passwd")]
    public async Task SendAsync_UrlThatIsNotHttp_ThrowsPermanent(string url)
    {
        var act = async () => await Channel().SendAsync(Deliveries.Webhook(url), CancellationToken.None);

        (await act.Should().ThrowAsync<PermanentDeliveryException>()).Which.Message.Should().Be("The webhook URL is not an absolute http or https URL.");
    }

    [Fact]
    public async Task SendAsync_InvalidContentType_ThrowsPermanent()
    {
        var delivery = Deliveries.Webhook(new WebhookMessage(_receiver.Url("/hooks"), "{}") { ContentType = "json please" });

        var act = async () => await Channel().SendAsync(delivery, CancellationToken.None);

        (await act.Should().ThrowAsync<PermanentDeliveryException>()).Which.Message.Should().Be("The webhook content type 'json please' is not a media type.");
        _receiver.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData("application/json; charset=utf-8", "application/json; charset=utf-8")]
    [InlineData("text/plain", "text/plain; charset=utf-8")]
    [InlineData("application/cloudevents+json", "application/cloudevents+json; charset=utf-8")]
    [InlineData("application/x-www-form-urlencoded", "application/x-www-form-urlencoded")]
    public async Task SendAsync_ContentType_IsSentWithUtf8WhereTextual(string contentType, string sent)
    {
        var delivery = Deliveries.Webhook(new WebhookMessage(_receiver.Url("/hooks"), "order=CMD-42") { ContentType = contentType });

        await Channel().SendAsync(delivery, CancellationToken.None);

        _receiver.Requests.Single().Header("Content-Type").Should().Be(sent);
    }
}
