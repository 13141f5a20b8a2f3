using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;

namespace Recovery.Journeys.CrashWorker;

/// <summary>The journeys the reliability tests run; the worker registers all of them, the tests publish their triggers.</summary>
public static class ReliabilityJourneys
{
    /// <summary>Three e-mails, 1, 2 and 3 seconds after the start: the crash tests.</summary>
    public static JourneyDefinition ThreeReminders { get; } =
        Journey.When<CartAbandoned>()
            .Named("three-reminders")
            .CorrelateBy(e => e.CartId)
            .ForCustomer(e => CustomerFor(e.CartId))
            .AfterStart(Duration.FromSeconds(1)).Send("first", c => new EmailMessage($"Cart {c.Event.CartId} (1)", null, "1"))
            .Then().AfterStart(Duration.FromSeconds(2)).Send("second", c => new EmailMessage($"Cart {c.Event.CartId} (2)", null, "2"))
            .Then().AfterStart(Duration.FromSeconds(3)).Send("third", c => new EmailMessage($"Cart {c.Event.CartId} (3)", null, "3"))
            .Build();

    /// <summary>One e-mail, 2 seconds after the start: the multi-instance test.</summary>
    public static JourneyDefinition OneReminder { get; } =
        Journey.When<SignupStalled>()
            .Named("one-reminder")
            .CorrelateBy(e => e.SignupId)
            .ForCustomer(e => CustomerFor(e.SignupId))
            .AfterStart(Duration.FromSeconds(2)).Send("reminder", c => new EmailMessage($"Signup {c.Event.SignupId}", null, "finish signing up"))
            .Build();

    /// <summary>
    /// Two e-mails, 3 and 4 seconds after the start, until the order is paid: the pay-race test. The test commits the
    /// payment within milliseconds of one of the two due times.
    /// </summary>
    public static JourneyDefinition UnpaidOrder { get; } =
        Journey.When<OrderUnpaid>()
            .Named("unpaid-order")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => CustomerFor(e.OrderId))
            .ExitWhen<OrderPaid>(e => e.OrderId)
            .AfterStart(Duration.FromSeconds(3)).Send("pay-now", c => new EmailMessage($"Order {c.Event.OrderId}: pay now", null, "pay"))
            .Then().AfterStart(Duration.FromSeconds(4)).Send("last-call", c => new EmailMessage($"Order {c.Event.OrderId}: last call", null, "last"))
            .Build();

    /// <summary>Every journey above.</summary>
    public static IReadOnlyList<JourneyDefinition> All { get; } = [ThreeReminders, OneReminder, UnpaidOrder];

    private static Customer CustomerFor(string key) => new($"customer-{key}") { Email = $"{key}@example.com" };
}

/// <summary>Starts <see cref="ReliabilityJourneys.ThreeReminders"/>.</summary>
/// <param name="CartId">The correlation key.</param>
public sealed record CartAbandoned(string CartId);

/// <summary>Starts <see cref="ReliabilityJourneys.OneReminder"/>.</summary>
/// <param name="SignupId">The correlation key.</param>
public sealed record SignupStalled(string SignupId);

/// <summary>Starts <see cref="ReliabilityJourneys.UnpaidOrder"/>.</summary>
/// <param name="OrderId">The correlation key.</param>
public sealed record OrderUnpaid(string OrderId);

/// <summary>Ends <see cref="ReliabilityJourneys.UnpaidOrder"/>.</summary>
/// <param name="OrderId">The correlation key.</param>
public sealed record OrderPaid(string OrderId);
