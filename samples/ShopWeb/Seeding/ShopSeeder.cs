using Microsoft.Extensions.Logging.Abstractions;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Sqlite;
using ShopWeb.Channels;
using ShopWeb.Shop;

namespace ShopWeb.Seeding;

/// <summary>
/// Gives the dashboard a month of history on first run: the real engine, on the app's SQLite file, replays 30 days of
/// abandoned checkouts, payments and declined cards on a clock that walks up to now. Same seed, same history.
/// </summary>
public static class ShopSeeder
{
    /// <summary>Seeds the store at <paramref name="path"/> unless it already has instances.</summary>
    /// <returns>How many events were published; 0 when the store had data.</returns>
    public static async Task<int> SeedAsync(string path, TimeProvider timeProvider, int days = 30, int seed = 13, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var now = timeProvider.GetUtcNow();
        var clock = new SeedClock(now.AddDays(-days));
        await using var store = new SqliteJourneyStore(path, clock);
        if ((await store.FindAsync(new JourneyInstanceQuery(JourneyName: ShopJourneys.CheckoutRecovery.Name), cancellationToken)).Count > 0)
        {
            return 0;
        }

        var engine = new JourneyEngine(ShopJourneys.All, store, new JourneyHostServices { Channels = new Outboxes() }, clock);
        var events = Plan(now.AddDays(-days), days, new Random(seed));
        foreach (var (at, @event) in events)
        {
            await RunUntilAsync(engine, clock, at, cancellationToken);
            await engine.PublishAsync(@event, cancellationToken);
        }

        await RunUntilAsync(engine, clock, now, cancellationToken);
        return events.Count;
    }

    /// <summary>Every event of the month, in time order.</summary>
    private static List<(DateTimeOffset At, object Event)> Plan(DateTimeOffset start, int days, Random random)
    {
        string[] names = ["Camille", "Hugo", "Léa", "Noah", "Chloé", "Lucas", "Manon", "Louis", "Emma", "Jules", "Inès", "Adam"];
        string[] products = ["Linen shirt", "Trail shoes", "Rain jacket", "Wool scarf", "Leather bag", "Desk lamp"];
        var events = new List<(DateTimeOffset, object)>();
        var order = 1000;
        for (var day = 0; day < days; day++)
        {
            // Busier towards the end of the month, so the trend has a shape.
            var count = 4 + random.Next(4) + (day * 6 / days);
            for (var i = 0; i < count; i++)
            {
                var at = start.AddDays(day).AddMinutes(random.Next(8 * 60, 22 * 60));
                var number = random.Next(1, 400);
                var customer = new Customer($"C{number:000}")
                {
                    Name = names[number % names.Length],
                    Email = $"customer{number:000}@example.com",
                    // One customer in 16 has a landline (ending in 00), which the SMS provider refuses.
                    Phone = number % 16 == 0 ? $"+3314{number:000000}00" : $"+336{number:00000000}",
                    TimeZone = number % 5 == 0 ? "America/Montreal" : "Europe/Paris",
                };
                var orderId = $"O-{++order}";
                var items = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => new CartItem(products[random.Next(products.Length)], random.Next(19, 180))).ToList();
                if (random.Next(6) == 0)
                {
                    events.Add((at, new PaymentFailed(orderId, customer, items.Sum(x => x.Price))));
                }
                else
                {
                    events.Add((at, new CheckoutAbandoned(orderId, customer, items)));
                }

                // About a third pay later: some within the hour, some after the e-mail, some after the SMS.
                if (random.Next(100) < 36)
                {
                    events.Add((at.AddMinutes(random.Next(5, 36 * 60)), new OrderPaid(orderId, items.Sum(x => x.Price))));
                }
            }
        }

        return [.. events.OrderBy(e => e.Item1)];
    }

    private static async Task RunUntilAsync(JourneyEngine engine, SeedClock clock, DateTimeOffset until, CancellationToken cancellationToken)
    {
        while (await engine.GetNextWakeUpAsync(cancellationToken) is { } next && next.ToDateTimeOffset() <= until)
        {
            var wasDue = next.ToDateTimeOffset() <= clock.Now;
            clock.Now = wasDue ? clock.Now : next.ToDateTimeOffset();
            if (await engine.RunDueAsync(cancellationToken) == 0 && wasDue)
            {
                break;
            }
        }

        clock.Now = until > clock.Now ? until : clock.Now;
    }

    private sealed class Outboxes : IChannelResolver
    {
        private readonly ShopOutbox<EmailMessage> _email = new(NullLogger<ShopOutbox<EmailMessage>>.Instance);
        private readonly ShopOutbox<SmsMessage> _sms = new(NullLogger<ShopOutbox<SmsMessage>>.Instance);

        public IChannel<TMessage>? Resolve<TMessage>()
            where TMessage : class => (_email as IChannel<TMessage>) ?? (_sms as IChannel<TMessage>);
    }
}
