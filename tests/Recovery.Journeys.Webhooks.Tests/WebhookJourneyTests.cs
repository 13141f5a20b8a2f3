using System.Text.Json;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;
using Recovery.Journeys.Webhooks.Tests.Fixtures;

namespace Recovery.Journeys.Webhooks.Tests;

/// <summary>
/// Scenario S5 (seed 004): 30 minutes after an unpaid order, the shop's coupon service is told to make the customer
/// eligible, through the real <see cref="WebhookChannel"/> run by the engine on the fake clock.
/// </summary>
public sealed class WebhookJourneyTests : IAsyncLifetime
{
    private readonly WebhookReceiver _receiver = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _receiver.DisposeAsync();
    }

    private sealed record OrderUnpaid(string OrderId, string CustomerId, string Offer);

    private JourneyDefinition CouponJourney(string path) =>
        Journey.When<OrderUnpaid>()
            .Named("unpaid-order-coupon")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => new Customer(e.CustomerId))
            .After(30.Minutes()).Send("coupon-eligible", c => new WebhookMessage(
                _receiver.Url(path),
                JsonSerializer.Serialize(new { list = "coupon-eligible", customerId = c.Event.CustomerId, offer = c.Event.Offer, orderId = c.Event.OrderId })))
            .Build();

    [Fact]
    public async Task UnpaidOrder_After30Minutes_CallsTheWebhookSignedAtThatTimeWithTheStepsKey()
    {
        using var harness = new JourneyTestHarness(CouponJourney("/coupons/eligible"));
        harness.Channels.Use(new WebhookChannel(_http, Deliveries.Options(), harness.Clock));
        var start = harness.Clock.Now;

        await harness.PublishAsync(new OrderUnpaid("CMD-77", "cust-9", "PROMO-60"));
        await harness.AdvanceAsync(1.Hours());

        var sent = harness.SentOf<WebhookMessage>().Should().ContainSingle().Subject;
        sent.At.Should().Be(start + 30.Minutes());
        var request = _receiver.Requests.Should().ContainSingle().Subject;
        request.Header(WebhookChannel.IdempotencyKeyHeader).Should().Be($"{sent.InstanceId}:coupon-eligible");
        request.BodyText.Should().Be("""{"list":"coupon-eligible","customerId":"cust-9","offer":"PROMO-60","orderId":"CMD-77"}""");
        WebhookSignature.Verify(Deliveries.Secret, request.Header(WebhookChannel.SignatureHeader), request.Body, (start + 30.Minutes()).ToDateTimeOffset(), TimeSpan.Zero)
            .Should().BeTrue("the signature is stamped by the engine's clock when the step runs");
    }

    [Fact]
    public async Task EndpointGone_TheStepIsRecordedAsFailedWithTheReason()
    {
        using var harness = new JourneyTestHarness(CouponJourney("/status/410"));
        harness.Channels.Use(new WebhookChannel(_http, Deliveries.Options(), harness.Clock));

        await harness.PublishAsync(new OrderUnpaid("CMD-78", "cust-9", "PROMO-60"));
        await harness.AdvanceAsync(1.Hours());

        harness.Sent.Should().BeEmpty();
        var failed = (await harness.TimelineAsync("CMD-78")).Single(r => r.Kind == JourneyRecordKind.Failed);
        failed.StepId.Should().Be("coupon-eligible");
        failed.Detail.Should().Be($"PermanentDeliveryException: The webhook endpoint 127.0.0.1:{_receiver.Port} answered 410 Gone; the call will not be made again.");
    }
}
