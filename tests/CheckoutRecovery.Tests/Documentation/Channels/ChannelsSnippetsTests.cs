using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Recovery.Journeys;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Smtp;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;
using Recovery.Journeys.Webhooks;

namespace CheckoutRecovery.Tests.Documentation.Channels;

/// <summary>The snippets of docs/channels.md do what the page says, the webhook ones over real HTTP.</summary>
public sealed class ChannelsSnippetsTests
{
    private const string Secret = "whsec_docs_0123456789abcdef";

    [Fact]
    public async Task MyPushChannel_TheSkeleton_IsCalledWithTheRenderedMessage_AndReportsItSent()
    {
        using var http = new HttpClient();
        using var harness = new JourneyTestHarness([GettingStartedSnippets.CheckoutRecovery()], new JourneyTestHarnessOptions
        {
            ConfigureChannels = channels => channels.Use(new MyPushChannel(http)),
        });

        await harness.PublishAsync(new CheckoutAbandoned("order-1", new Customer("c") { PushToken = "t", Email = "c@example.com" }, [], 10m, 45));
        await harness.AdvanceAsync(10.Minutes());

        (await harness.TimelineAsync("order-1")).Should().Contain(r => r.StepId == "push-reminder" && r.Kind == JourneyRecordKind.Sent && r.Channel == "push");
        harness.SentOf<PushMessage>().Single().Message.Body.Should().Contain("Il ne vous reste que 15 minutes");
    }

    [Fact]
    public void UseSmtpEmail_RegistersTheSmtpChannel_WithThePagesOptions_AndThePasswordFromConfiguration()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Smtp:Password"] = "s3cret" }).Build();

        var emailOnly = Journey.When<CheckoutAbandoned>()
            .Named("checkout-recovery")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .After(1.Hours()).Email(m => m.Subject("Votre panier vous attend").TextBody("..."))
            .Build();

        ChannelsSnippets.RegisterSmtp(services, configuration, emailOnly);

        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IChannel<EmailMessage>>().Should().BeOfType<SmtpEmailChannel>();
        provider.GetRequiredService<IOptions<SmtpEmailOptions>>().Value.Should().BeEquivalentTo(new
        {
            Host = "smtp.example.com",
            Port = 587,
            EnableSsl = true,
            FromAddress = "boutique@example.com",
            FromDisplayName = "Ma Boutique",
            UserName = "boutique",
            Password = "s3cret",
        });
        provider.GetRequiredService<JourneyEngine>().Journeys.Should().ContainSingle().Which.Should().BeSameAs(emailOnly);
    }

    [Fact]
    public async Task Webhook_SentByTheJourney_IsVerifiedByThePagesReceiver_AndAReplayOrAForgeryChangesNothing()
    {
        var clock = new FakeClock();
        var eligible = new EligibleCustomers();
        await using var receiver = await StartReceiverAsync(clock, eligible);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Webhooks:Secret"] = Secret }).Build();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(clock);
        ChannelsSnippets.RegisterWebhooks(services, configuration);

        // The page's URL is coupons.example.com: the client's handler sends its requests to the receiver on this machine.
        services.AddHttpClient(WebhookChannel.HttpClientName).AddHttpMessageHandler(() => new ToLocalReceiver(receiver.Address));
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<JourneyEngine>();
        using var drive = clock.Drive(engine);

        await engine.PublishAsync(new OrderUnpaid("order-1", new Customer("cust-42"), "Formation Excel", 149m));
        await clock.AdvanceAsync(29.Minutes());
        eligible.Added.Should().BeEmpty("the webhook goes 30 minutes after the start");
        await clock.AdvanceAsync(2.Minutes());

        var instance = (await engine.FindInstancesAsync(new JourneyInstanceQuery(CorrelationKey: "order-1"))).Single();
        eligible.Added.Should().Equal(($"{instance.Id}:coupon-eligible", new Eligibility("cust-42", "Formation Excel")));
        (await engine.GetTimelineAsync(instance.Id)).Should().Contain(r => r.StepId == "coupon-eligible" && r.Kind == JourneyRecordKind.Sent && r.Channel == "webhook");

        // The same call again (a resend after a crash) is acknowledged and changes nothing; a wrong signature is refused.
        var body = "{\"customerId\":\"cust-42\",\"offer\":\"Formation Excel\"}";
        using var http = new HttpClient();
        using var replay = await http.SendAsync(Signed(receiver.Address, body, $"{instance.Id}:coupon-eligible", Secret, clock.GetUtcNow()));
        using var forged = await http.SendAsync(Signed(receiver.Address, body, "another-key", "whsec_not_the_secret_000000", clock.GetUtcNow()));
        using var stale = await http.SendAsync(Signed(receiver.Address, body, "a-third-key", Secret, clock.GetUtcNow() - TimeSpan.FromMinutes(6)));

        replay.StatusCode.Should().Be(HttpStatusCode.NoContent);
        forged.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        stale.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a timestamp more than the 5-minute tolerance away is refused");
        eligible.Added.Should().HaveCount(1);
        eligible.Calls.Should().Be(2, "the receiver was asked twice for the same key, and added it once");
    }

    private static async Task<Receiver> StartReceiverAsync(FakeClock clock, EligibleCustomers eligible)
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<IEligibleCustomers>(eligible);
        var app = builder.Build();
        ChannelsSnippets.MapEligibilityHook(app, Secret);
        await app.StartAsync();
        return new Receiver(app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()));
    }

    private static HttpRequestMessage Signed(Uri receiver, string body, string key, string secret, DateTimeOffset at)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(receiver, "/hooks/eligible")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        request.Headers.Add("Recovery-Signature", WebhookSignature.Compute(secret, at, Encoding.UTF8.GetBytes(body)));
        return request;
    }

    private sealed record Receiver(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }

    /// <summary>Keeps each request's path and query, and sends it to the receiver's address.</summary>
    private sealed class ToLocalReceiver(Uri receiver) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = receiver.Scheme, Host = receiver.Host, Port = receiver.Port }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class EligibleCustomers : IEligibleCustomers
    {
        private readonly ConcurrentDictionary<string, Eligibility> _added = new();
        private int _calls;

        public IReadOnlyList<(string Key, Eligibility Eligibility)> Added => [.. _added.Select(a => (a.Key, a.Value))];

        public int Calls => _calls;

        public ValueTask AddOnceAsync(string idempotencyKey, Eligibility eligibility, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            _added.TryAdd(idempotencyKey, eligibility);
            return ValueTask.CompletedTask;
        }
    }
}
