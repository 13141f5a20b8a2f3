using CheckoutRecovery.Channels;
using CheckoutRecovery.Journeys;
using CheckoutRecovery.Shop;
using CheckoutRecovery.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;

namespace CheckoutRecovery.Hosted;

/// <summary>
/// The journey in a generic host on the real clock, with its reminders at +5 s, +10 s and +15 s: the hosted worker
/// sends each one right after its due instant. Three customers leave the payment page; one pays after the first
/// push; one left too quickly to enter. The host stops by itself after 22 seconds.
/// </summary>
public static class HostedDemo
{
    /// <summary>Builds the host: the library registered as a real app would, plus the demo shop.</summary>
    /// <param name="args">The command line.</param>
    public static IHost CreateHost(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
            console.UseUtcTimestamp = true;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Recovery.Journeys", LogLevel.Information);

        var offers = new OfferDesk();
        builder.Services.AddSingleton(offers);
        builder.Services.AddRecoveryJourneys(journeys => journeys
            .AddJourney(CheckoutRecoveryJourney.Build(offers, CheckoutRecoveryTimings.Demo))
            .AddChannel<PushMessage, ConsoleChannel<PushMessage>>()
            .AddChannel<EmailMessage, ConsoleChannel<EmailMessage>>());
        builder.Services.AddHostedService<DemoShop>();
        return builder.Build();
    }

    /// <summary>Runs the demo until it stops by itself (or Ctrl+C).</summary>
    /// <param name="args">The command line.</param>
    public static async Task RunAsync(string[] args)
    {
        using var host = CreateHost(args);
        await host.RunAsync();
    }
}

/// <summary>The demo's shop: publishes three abandonments, then a payment, then prints the timelines and stops the host.</summary>
internal sealed class DemoShop(
    JourneyEngine engine,
    OfferDesk offers,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var now = Instant.FromDateTimeOffset(timeProvider.GetUtcNow());
        var promotionEndsAt = now + Duration.FromMinutes(2);
        var item = new CartItem("Baskets en cuir blanc", 89.90m, "https://cdn.shop.example/img/baskets-cuir-blanc.jpg");
        CheckoutAbandoned Abandon(string orderId, string name, int seconds) => new(
            orderId,
            new Customer($"client-{orderId}")
            {
                Name = name,
                Email = $"{orderId.ToLowerInvariant()}@mail.example",
                PushToken = $"app-token-{orderId}",
            },
            [item],
            60,
            promotionEndsAt,
            seconds);

        var orders = new[] { Abandon("DEMO-1", "Alice Martin", 45), Abandon("DEMO-2", "Bruno Petit", 90), Abandon("DEMO-3", "Chloé Durand", 12) };
        Console.WriteLine("Three customers leave the payment page now. Reminders are due at +5 s, +10 s and +15 s, and the extra");
        Console.WriteLine("offer expires at +20 s. Bruno pays at +7 s; Chloé stayed only 12 s and does not enter. Ctrl+C stops early.");
        Console.WriteLine("The offers last seconds here, so the countdowns read \"0 minute\" ({{timeLeft}} counts whole minutes).");
        foreach (var order in orders)
        {
            await engine.PublishAsync(order, stoppingToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(7), timeProvider, stoppingToken);
        var paid = await engine.PublishAsync(new OrderPaid("DEMO-2", orders[1].Total), stoppingToken);
        if (paid.Ended.Count > 0)
        {
            offers.RecordRecoveredOrder();
        }

        Console.WriteLine($"Bruno paid {FrenchFormat.Euros(orders[1].Total)}: his journey ended, nothing more is sent to him.");
        // The last step runs at +20 s, then the journey listens 5 s for a payment before it completes.
        await Task.Delay(TimeSpan.FromSeconds(20), timeProvider, stoppingToken);

        foreach (var order in orders)
        {
            var instances = await engine.FindInstancesAsync(new JourneyInstanceQuery(CheckoutRecoveryJourney.Name, order.OrderId), stoppingToken);
            var kinds = new List<string>();
            foreach (var instance in instances)
            {
                kinds.AddRange((await engine.GetTimelineAsync(instance.Id, stoppingToken)).Select(r => r.StepId is null ? $"{r.Kind}" : $"{r.Kind} {r.StepId}"));
            }

            Console.WriteLine($"{order.OrderId} ({order.Customer.Name}): {(kinds.Count == 0 ? "never entered" : string.Join(" -> ", kinds))}");
        }

        lifetime.StopApplication();
    }
}
