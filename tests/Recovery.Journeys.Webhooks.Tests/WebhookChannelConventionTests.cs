using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Testing;
using Recovery.Journeys.TestSupport;
using Recovery.Journeys.Webhooks.Tests.Fixtures;

namespace Recovery.Journeys.Webhooks.Tests;

/// <summary>
/// The adapters' conventions on the webhook channel: the constructor checks its options and keeps a copy of every
/// one, <c>UseWebhooks</c> passes every option to it, with the container's clock and loggers.
/// </summary>
public sealed class WebhookChannelConventionTests : IAsyncLifetime
{
    private readonly WebhookReceiver _receiver = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 1, 5, 9, 0));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public void Constructor_KeepsACopyOfEveryOption_ChangingTheCallersObjectAfterwardsHasNoEffect()
    {
        var options = EveryOption();
        OptionsConvention.ShouldSetEveryOption(options);
        var channel = new WebhookChannel(_http, options, _clock);

        OptionsConvention.CopyEveryOption(new WebhookOptions(), options);

        OptionsConvention.ShouldHaveEveryOptionOf(channel.Options, EveryOption());
    }

    [Fact]
    public async Task Constructor_CallerChangesTheSecretAfterwards_CallsAreSignedWithTheFirstOne()
    {
        var options = Deliveries.Options();
        var channel = new WebhookChannel(_http, options, _clock);
        var delivery = Deliveries.Webhook(_receiver.Url("/hooks"));

        options.Secret = "whsec_another_secret_0123456789";
        await channel.SendAsync(delivery, CancellationToken.None);

        var request = _receiver.RequestsFor(delivery.IdempotencyKey).Single();
        WebhookSignature.Verify(Deliveries.Secret, request.Header(WebhookChannel.SignatureHeader), request.Body, _clock.GetUtcNow(), TimeSpan.Zero).Should().BeTrue();
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsTheRegistrationsValidationFailures()
    {
        var invalid = new WebhookOptions { Secret = "short", Timeout = TimeSpan.FromMilliseconds(-1) };
        using var provider = new ServiceCollection()
            .AddRecoveryJourneys(j => j.UseWebhooks(o => OptionsConvention.CopyEveryOption(invalid, o)))
            .BuildServiceProvider();

        var create = () => new WebhookChannel(_http, invalid, _clock);
        var register = () => provider.GetRequiredService<IOptions<WebhookOptions>>().Value;

        var failures = create.Should().Throw<OptionsValidationException>().Which.Failures;
        failures.Should().HaveCount(2);
        register.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(failures);
    }

    [Fact]
    public void Constructor_WithoutATimeProvider_Throws()
    {
        var create = () => new WebhookChannel(_http, EveryOption(), null!);

        create.Should().Throw<ArgumentNullException>().WithParameterName("timeProvider");
    }

    [Fact]
    public void UseWebhooks_PassesEveryOptionToTheChannel()
    {
        var configured = EveryOption();
        OptionsConvention.ShouldSetEveryOption(configured);
        using var provider = new ServiceCollection()
            .AddRecoveryJourneys(j => j.UseWebhooks(o => OptionsConvention.CopyEveryOption(configured, o)))
            .BuildServiceProvider();

        var channel = provider.GetRequiredService<IChannel<WebhookMessage>>().Should().BeOfType<WebhookChannel>().Subject;

        OptionsConvention.ShouldHaveEveryOptionOf(channel.Options, configured);
        channel.Options.Should().NotBeSameAs(provider.GetRequiredService<IOptions<WebhookOptions>>().Value);
    }

    [Fact]
    public async Task UseWebhooks_LogsThroughTheContainersLoggerFactory()
    {
        var logs = new RecordingLoggerProvider();
        using var provider = new ServiceCollection()
            .AddSingleton<TimeProvider>(_clock)
            .AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug))
            .AddRecoveryJourneys(j => j.UseWebhooks(o => o.Secret = Deliveries.Secret))
            .BuildServiceProvider();
        var delivery = Deliveries.Webhook(_receiver.Url("/hooks?token=s3cr3t"));

        await provider.GetRequiredService<IChannel<WebhookMessage>>().SendAsync(delivery, CancellationToken.None);

        var answered = logs.Entries.Should().ContainSingle(e => e.EventId.Id == 810).Subject;
        answered.Category.Should().Be(typeof(WebhookChannel).FullName);
        answered.Level.Should().Be(LogLevel.Debug);
        answered.Values["StatusCode"].Should().Be(204);
        answered.Values["IdempotencyKey"].Should().Be(delivery.IdempotencyKey);
        answered.Message.Should().NotContain("s3cr3t", "logs name the endpoint's host, never its path or query");
    }

    private static WebhookOptions EveryOption() => new() { Secret = Deliveries.Secret, Timeout = TimeSpan.FromSeconds(3) };
}
