using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Recovery.Journeys.AspNetCore.Dashboard;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Hosting;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;
using ShopWeb.Shop;

namespace Recovery.Journeys.AspNetCore.Tests.Fixtures;

/// <summary>
/// An app with the dashboard on a test server: ShopWeb's journeys, the in-memory store, recorded channels, a fake clock,
/// and header-driven users and addresses (<c>X-Test-User</c>; <c>X-Test-Remote</c> makes the request come from afar).
/// Policies: <c>viewers</c> (signed in), <c>operators</c> (role operator).
/// </summary>
internal sealed class DashboardHost : IAsyncDisposable
{
    public const string RemoteHeader = "X-Test-Remote";
    public static readonly Instant Start = Instant.FromUtc(2026, 11, 20, 9, 0);

    private readonly WebApplication _app;

    private DashboardHost(WebApplication app, FakeClock clock, RecordingChannels channels)
    {
        _app = app;
        Clock = clock;
        Channels = channels;
    }

    public FakeClock Clock { get; }

    public RecordingChannels Channels { get; }

    public JourneyEngine Engine => _app.Services.GetRequiredService<JourneyEngine>();

    public HttpClient CreateClient() => _app.GetTestClient();

    public static async Task<DashboardHost> StartAsync(Action<JourneyDashboardOptions>? configure = null, string? viewPolicy = null, Action<RecoveryJourneysBuilder>? journeys = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        var clock = new FakeClock(Start);
        var channels = new RecordingChannels(clock);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<IChannelResolver>(channels);
        builder.Services.AddRecoveryJourneys(j =>
        {
            j.AddJourney(ShopJourneys.CheckoutRecovery).AddJourney(ShopJourneys.PaymentRetry);
            journeys?.Invoke(j);
        });
        builder.Services.AddRecoveryJourneysDashboard(configure);

        // The tests run the due steps themselves (RunUntilAsync): the hosted worker, woken by a resume or a publish,
        // would race them for the same claims and commit after the test had read the timeline.
        foreach (var worker in builder.Services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "JourneyWorker").ToList())
        {
            builder.Services.Remove(worker);
        }
        builder.Services.AddAuthentication(TestAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthentication>(TestAuthentication.SchemeName, null);
        builder.Services.AddAuthorization(o =>
        {
            o.AddPolicy("viewers", p => p.RequireAuthenticatedUser());
            o.AddPolicy("operators", p => p.RequireRole("operator"));
        });
        var app = builder.Build();
        app.Use((context, next) =>
        {
            context.Connection.RemoteIpAddress = context.Request.Headers.ContainsKey(RemoteHeader) ? IPAddress.Parse("203.0.113.7") : IPAddress.Loopback;
            context.Connection.LocalIpAddress = IPAddress.Parse("10.0.0.2");
            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        var group = app.MapRecoveryJourneysDashboard("/journeys");
        if (viewPolicy is not null)
        {
            group.RequireAuthorization(viewPolicy);
        }

        await app.StartAsync();
        return new DashboardHost(app, clock, channels);
    }

    /// <summary>Three abandoned checkouts (O-1 paid after its e-mail, O-3's customer with a phone the SMS provider refuses) and a day of steps.</summary>
    public async Task SeedAsync()
    {
        Customer Customer(string id, string phone) => new(id) { Name = "Customer " + id, Email = $"{id}@example.com", Phone = phone, TimeZone = "America/Montreal" };
        Channels.Use<Recovery.Journeys.Channels.SmsMessage>(new RefusingSms());
        await Engine.PublishAsync(new CheckoutAbandoned("O-1", Customer("C1", "+33611111111"), [new CartItem("Scarf", 25m)]));
        await Engine.PublishAsync(new CheckoutAbandoned("O-2", Customer("C2", "+33622222222"), [new CartItem("Shoes", 89m)]));
        await Engine.PublishAsync(new CheckoutAbandoned("O-3", Customer("C3", "+33633333300"), [new CartItem("Bag", 120m)]));
        await RunUntilAsync(Start + 1.Hours());
        await Engine.PublishAsync(new OrderPaid("O-1", 25m));
        await RunUntilAsync(Start + 25.Hours());
    }

    public async Task RunUntilAsync(Instant until)
    {
        while (await Engine.GetNextWakeUpAsync() is { } next && next <= until)
        {
            if (next > Clock.Now)
            {
                Clock.Advance(next - Clock.Now);
            }

            if (await Engine.RunDueAsync() == 0)
            {
                break;
            }
        }

        if (until > Clock.Now)
        {
            Clock.Advance(until - Clock.Now);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class RefusingSms : IChannel<Recovery.Journeys.Channels.SmsMessage>
    {
        public ValueTask<DeliveryReceipt> SendAsync(Delivery<Recovery.Journeys.Channels.SmsMessage> delivery, CancellationToken cancellationToken) =>
            delivery.Recipient.Phone!.EndsWith("00", StringComparison.Ordinal)
                ? throw new PermanentDeliveryException("The SMS provider refused the number.")
                : ValueTask.FromResult(DeliveryReceipt.Sent(delivery.IdempotencyKey));
    }
}
