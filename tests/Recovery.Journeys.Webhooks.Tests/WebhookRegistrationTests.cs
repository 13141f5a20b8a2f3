using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Webhooks.Tests.Fixtures;

namespace Recovery.Journeys.Webhooks.Tests;

public sealed class WebhookRegistrationTests : IAsyncLifetime
{
    private readonly WebhookReceiver _receiver = new();
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 1, 5, 9, 0));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private ServiceProvider Provider(Action<WebhookOptions>? configure = null) =>
        new ServiceCollection()
            .AddSingleton<TimeProvider>(_clock)
            .AddRecoveryJourneys(j => j.UseWebhooks(configure ?? (w => w.Secret = Deliveries.Secret)))
            .BuildServiceProvider();

    [Fact]
    public async Task UseWebhooks_RegistersTheChannelTheEngineResolves_SigningOnTheContainersClock()
    {
        using var provider = Provider();
        var channel = provider.GetRequiredService<IChannelResolver>().Resolve<WebhookMessage>();
        var delivery = Deliveries.Webhook(_receiver.Url("/hooks"));

        channel.Should().BeOfType<WebhookChannel>();
        (await channel!.SendAsync(delivery, CancellationToken.None)).IsSent.Should().BeTrue();

        var request = _receiver.RequestsFor(delivery.IdempotencyKey).Single();
        WebhookSignature.Verify(Deliveries.Secret, request.Header(WebhookChannel.SignatureHeader), request.Body, _clock.GetUtcNow(), TimeSpan.Zero).Should().BeTrue();
    }

    [Fact]
    public async Task UseWebhooks_Client_DoesNotFollowRedirects()
    {
        using var provider = Provider();
        var channel = provider.GetRequiredService<IChannel<WebhookMessage>>();

        var act = async () => await channel.SendAsync(Deliveries.Webhook(_receiver.Url("/status/302")), CancellationToken.None);

        await act.Should().ThrowAsync<PermanentDeliveryException>();
        _receiver.Requests.Select(r => (r.Method, r.PathAndQuery)).Should().Equal(("POST", "/status/302"));
    }

    [Fact]
    public async Task UseWebhooks_Timeout_IsTheOptionsOnTheContainersClockNotTheHttpClients()
    {
        using var provider = Provider(w =>
        {
            w.Secret = Deliveries.Secret;
            w.Timeout = TimeSpan.FromMinutes(5);
        });
        var channel = provider.GetRequiredService<IChannel<WebhookMessage>>();

        var send = channel.SendAsync(Deliveries.Webhook(_receiver.Url("/hold")), CancellationToken.None).AsTask();
        await _receiver.WaitForRequestAsync();
        _clock.Advance(Duration.FromMinutes(5));

        (await send.Invoking(s => s).Should().ThrowAsync<TimeoutException>().WaitAsync(TimeSpan.FromSeconds(30)))
            .Which.Message.Should().Contain("within 00:05:00");
    }

    [Fact]
    public void UseWebhooks_NamedClient_CanBeExtendedByTheHost()
    {
        var services = new ServiceCollection().AddRecoveryJourneys(j => j.UseWebhooks(w => w.Secret = Deliveries.Secret));
        services.AddHttpClient(WebhookChannel.HttpClientName, c => c.DefaultRequestHeaders.Add("X-Shop", "boutique"));
        using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookChannel.HttpClientName);

        client.Timeout.Should().Be(Timeout.InfiniteTimeSpan);
        client.DefaultRequestHeaders.GetValues("X-Shop").Should().Equal("boutique");
    }

    [Fact]
    public void UseWebhooks_Twice_KeepsOneWebhookChannel()
    {
        var services = new ServiceCollection().AddRecoveryJourneys(j => j.UseWebhooks(w => w.Secret = "first").UseWebhooks(w => w.Secret = Deliveries.Secret));

        services.Count(d => d.ServiceType == typeof(IChannel<WebhookMessage>)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IValidateOptions<WebhookOptions>)).Should().Be(1);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IOptions<WebhookOptions>>().Value.Secret.Should().Be(Deliveries.Secret);
    }

    [Fact]
    public async Task InvalidOptions_FailAtStart_ReportingEveryProblem()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddRecoveryJourneys(j => j.UseWebhooks(w => w.Timeout = TimeSpan.Zero));
        using var host = builder.Build();

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Failures.Should().BeEquivalentTo(
            "WebhookOptions.Secret is required: the secret shared with the receivers, which signs every call.",
            "WebhookOptions.Timeout must be positive and at most 24.20:31:23.6470000; it is 00:00:00.");
    }

    [Fact]
    public void Constructor_ShortSecret_ThrowsWithoutShowingIt()
    {
        using var http = new HttpClient();
        var create = () => new WebhookChannel(http, new WebhookOptions { Secret = "short-secret" }, TimeProvider.System);

        create.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal("WebhookOptions.Secret must have at least 16 characters; it has 12.");
    }
}
