using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;

namespace Recovery.Journeys.Quartz.Tests;

internal static class TestJourneys
{
    /// <summary>Two e-mails, 2 and 3 seconds after the start, unless the order is paid.</summary>
    public static JourneyDefinition TwoReminders { get; } =
        Journey.When<OrderUnpaid>()
            .Named("unpaid-order")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => new Customer($"customer-{e.OrderId}") { Email = $"{e.OrderId}@example.com" })
            .ExitWhen<OrderPaid>(e => e.OrderId)

            // A short listening period after the last step, so the cluster also runs the wake-up that completes it.
            .AttributionWindow(Duration.FromSeconds(1))
            .AfterStart(Duration.FromSeconds(2)).Send("pay-now", c => new EmailMessage($"Order {c.Event.OrderId}", null, "pay now"))
            .Then().AfterStart(Duration.FromSeconds(3)).Send("last-call", c => new EmailMessage($"Order {c.Event.OrderId}", null, "last call"))
            .Build();

    /// <summary>One e-mail an hour after the start, unless the order is paid.</summary>
    public static JourneyDefinition InAnHour { get; } =
        Journey.When<CartAbandoned>()
            .Named("cart-in-an-hour")
            .CorrelateBy(e => e.CartId)
            .ForCustomer(e => new Customer($"customer-{e.CartId}") { Email = $"{e.CartId}@example.com" })
            .ExitWhen<OrderPaid>(e => e.OrderId)
            .AfterStart(Duration.FromHours(1)).Send("reminder", c => new EmailMessage($"Cart {c.Event.CartId}", null, "your cart"))
            .Build();

    /// <summary>One e-mail a second after the start.</summary>
    public static JourneyDefinition InASecond { get; } =
        Journey.When<SignupStalled>()
            .Named("signup-in-a-second")
            .CorrelateBy(e => e.SignupId)
            .ForCustomer(e => new Customer($"customer-{e.SignupId}") { Email = $"{e.SignupId}@example.com" })
            .AfterStart(Duration.FromSeconds(1)).Send("reminder", c => new EmailMessage($"Signup {c.Event.SignupId}", null, "finish"))
            .Build();
}

public sealed record OrderUnpaid(string OrderId);

public sealed record OrderPaid(string OrderId);

public sealed record CartAbandoned(string CartId);

public sealed record SignupStalled(string SignupId);
