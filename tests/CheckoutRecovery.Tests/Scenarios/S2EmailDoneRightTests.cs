using CheckoutRecovery.Scenarios;
using FluentAssertions;
using NodaTime;

namespace CheckoutRecovery.Tests.Scenarios;

/// <summary>
/// Runs S2 as <c>--scenario s2</c> does and checks what it prints against the scenario's rules applied here to the
/// simulated carts: timing by stage, one journey per customer's latest cart, the coupon withheld from serial abandoners.
/// </summary>
public sealed class S2EmailDoneRightTests
{
    private static readonly ScenarioOptions Options = new(Customers: 500, Seed: 5);

    // The rules as the scenario states them, restated here.
    private static readonly Duration PaymentHelp = Duration.FromMinutes(15);
    private static readonly Duration EarlyReminder = Duration.FromDays(2);
    private static readonly Duration LastReminderAfterFirst = Duration.FromDays(1);
    private static readonly Duration Window = Duration.FromDays(2);

    [Fact]
    public async Task PrintsTheRunTheRulesDescribe()
    {
        var printed = await PrintedScenario.RunAsync(new S2EmailDoneRight(), Options, "fr-FR");
        var expected = Expect(S2EmailDoneRight.Population(Options));

        printed.Total("entered").Should().Equal(printed.Count(expected.Entered));
        printed.Total("exited").Should().Equal(printed.Count(expected.Superseded));
        printed.Total("paid")[0].Should().Be(printed.Count(expected.Paid.Count));
        printed.Total("revenue").Should().Equal(printed.Money(expected.Paid.Sum(p => p.Amount)));
        printed.Total("recovered revenue")[0].Should().Be(printed.Money(expected.Paid.Where(p => p.Step is not null).Sum(p => p.Amount)));

        foreach (var step in new[] { "payment-help", "cart-reminder", "last-reminder" })
        {
            var attributed = expected.Paid.Where(p => p.Step == step).ToList();
            printed.Row("Steps:", step).Should().Equal(
                ["-", printed.Count(expected.Sent[step]), printed.Count(expected.Skipped[step]), printed.Count(0), printed.Count(0),
                 printed.Count(attributed.Count), printed.Money(attributed.Sum(p => p.Amount))],
                $"{step} follows the rules");
            printed.SkipReasons(step).Should().Equal(new Dictionary<string, string> { ["no e-mail address"] = printed.Count(expected.Skipped[step]) });
        }
    }

    [Fact]
    public async Task PrintsTheFeaturedCustomersEmailsWithScarcityCrossSellAndTheGuard()
    {
        var printed = await PrintedScenario.RunAsync(new S2EmailDoneRight(), Options, "fr-FR");

        printed.Section("Left at the payment page, helped at once, then ordered").Should()
            .Contain("+00:00:00  if-1: took the 'then' path")
            .And.Contain("+00:15:00  payment-help sent (email)")
            .And.Contain("Objet : Vous avez rencontré un problème lors de votre commande ?")
            .And.Contain("attributed to payment-help");

        // Its cart has a product with 3 or fewer left: the e-mails say so, and offer what goes with the cart.
        var withCoupon = printed.Section("Left at the cart page, reminded two days later, ordered with the coupon");
        withCoupon.Should().Contain("+48:00:00  cart-reminder sent (email)")
            .And.Contain("+72:00:00  coupon issued last-coupon: MERCI-10: 10 % off")
            .And.Contain("Objet : 10 % de remise sur votre panier")
            .And.Contain("attributed to last-reminder");

        // Scarcity names the cart's product with the fewest left when 3 or fewer are; the cross-sell lists what goes
        // with the cart's products and is not in it.
        var cart = S2EmailDoneRight.Population(Options).SelectMany(c => c.Carts).Single(c => withCoupon.Contains($"Instance for '{c.Event.CartId}'", StringComparison.Ordinal)).Event;
        var scarce = cart.Items.Where(p => p.Stock <= 3).OrderBy(p => p.Stock).ThenBy(p => p.Name, StringComparer.Ordinal).First();
        withCoupon.Should().Contain($"Attention : plus que {scarce.Stock} « {scarce.Name} » en stock.");
        var complements = cart.Items.Select(p => p.GoesWith).Distinct().Where(n => cart.Items.All(p => p.Name != n)).ToList();
        if (complements.Count == 0)
        {
            withCoupon.Should().NotContain("Ils vont bien avec :");
        }

        foreach (var name in complements)
        {
            withCoupon.Should().Contain($"Ils vont bien avec :").And.Contain($"  - {name} : ");
        }

        var serial = printed.Section("Three carts in a row: one reminder about the latest, and no coupon");
        serial.Should().Contain("exited: superseded by a newer CartLeft")
            .And.Contain("coupon withheld last-coupon: the customer entered this journey 3 times within 30d")
            .And.Contain("Objet : Votre panier est toujours là")
            .And.NotContain("MERCI10-");
    }

    /// <summary>What the rules say the run does, cart by cart.</summary>
    private static Expected Expect(IReadOnlyList<S2Customer> population)
    {
        var sent = new Dictionary<string, int> { ["payment-help"] = 0, ["cart-reminder"] = 0, ["last-reminder"] = 0 };
        var skipped = new Dictionary<string, int>(sent);
        var paid = new List<(decimal Amount, string? Step)>();
        var superseded = 0;
        foreach (var customer in population)
        {
            var hasEmail = customer.Carts[0].Event.Customer.Email is not null;
            void Run(string step) => (hasEmail ? sent : skipped)[step]++;

            // An older cart runs until the next one ends it; only a payment-stage cart hears anything in that time.
            foreach (var older in customer.Carts.SkipLast(1))
            {
                superseded++;
                if (older.Event.Stage == CheckoutStage.Payment)
                {
                    Run("payment-help");
                }
            }

            var last = customer.Carts[^1];
            var payment = last.Event.Stage == CheckoutStage.Payment;
            var first = payment ? PaymentHelp : EarlyReminder;
            var messages = new List<(Duration At, string Step)>();
            var pays = customer.PaysAfter ?? Duration.MaxValue;
            if (pays > first)
            {
                Run(payment ? "payment-help" : "cart-reminder");
                messages.Add((first, payment ? "payment-help" : "cart-reminder"));
            }

            var lastReminder = first + LastReminderAfterFirst;
            var coupon = false;
            if (pays > lastReminder)
            {
                Run("last-reminder");
                messages.Add((lastReminder, "last-reminder"));
                coupon = customer.Carts.Count <= 2;
            }

            if (pays < lastReminder + Window)
            {
                var total = last.Event.Items.Sum(i => i.Price);
                var amount = coupon ? total - Math.Round(total * 0.10m, 2, MidpointRounding.AwayFromZero) : total;
                var before = hasEmail ? messages.LastOrDefault(m => m.At < pays) : default;
                paid.Add((amount, before.Step is not null && pays - before.At <= Window ? before.Step : null));
            }
        }

        return new Expected(population.Sum(c => c.Carts.Count), superseded, sent, skipped, paid);
    }

    private sealed record Expected(int Entered, int Superseded, Dictionary<string, int> Sent, Dictionary<string, int> Skipped, List<(decimal Amount, string? Step)> Paid);
}
