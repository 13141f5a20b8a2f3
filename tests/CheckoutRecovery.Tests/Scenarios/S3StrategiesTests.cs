using System.Globalization;
using System.Text.RegularExpressions;
using CheckoutRecovery.Scenarios;
using FluentAssertions;
using NodaTime;

namespace CheckoutRecovery.Tests.Scenarios;

/// <summary>
/// Runs S3 as <c>--scenario s3</c> does and checks what it prints against the scenario's rules applied here to the
/// simulated population, with the holdout and the A/B variants drawn by this test from the documented hash.
/// </summary>
public sealed class S3StrategiesTests
{
    private static readonly ScenarioOptions Options = new(Customers: 600, Seed: 5);
    private static readonly DateTimeZone Paris = DateTimeZoneProviders.Tzdb["Europe/Paris"];
    private static readonly Duration Window = Duration.FromDays(2);

    [Fact]
    public async Task PrintsTheRunTheRulesDescribe()
    {
        var printed = await PrintedScenario.RunAsync(new S3Strategies(), Options, "fr-FR");
        var customers = S3Strategies.Population(Options).Select(c => new Drawn(
            c,
            Buckets.InHoldout("strategies", 10, c.Basket.Customer.Id),
            Buckets.Variant("strategies", "offer", c.Basket.Customer.Id, ("no-offer", 50), ("free-delivery", 50)),
            LastCall(c.At))).ToList();
        var converted = customers.Where(c => c.Customer.PaysAt < c.LastCall + Window).ToList();
        string N(int count) => printed.Count(count);

        printed.Total("entered").Should().Equal(N(customers.Count));
        printed.Total("paid")[0].Should().Be(N(converted.Count));
        printed.Total("revenue").Should().Equal(printed.Money(converted.Sum(c => c.Customer.Basket.Total)));

        // The exit-intent message and the audience at once, to everyone not held out; the audience needs an address or a phone.
        var sentTo = customers.Where(c => !c.Holdout).ToList();
        var reachable = sentTo.Count(c => c.Customer.Basket.Customer.Email is not null || c.Customer.Basket.Customer.Phone is not null);
        var heldOut = customers.Count(c => c.Holdout);
        printed.Row("Steps:", "exit-intent")[1..4].Should().Equal(N(sentTo.Count), N(0), N(heldOut));
        printed.Row("Steps:", "add-to-audience")[1..4].Should().Equal(N(reachable), N(sentTo.Count - reachable), N(heldOut));
        printed.Row("Steps:", "remove-from-audience")[1..4].Should().Equal(N(reachable), N(sentTo.Count - reachable), N(heldOut));
        printed.Text.Should().Contain($"ad audience 'retargeting-basket-abandoners': {reachable} added, {reachable} removed, 0 still on it");

        // The e-mail of each arm at +1 h, and the last call at 19:00 shop time, to those who have not paid by then.
        foreach (var variant in new[] { "no-offer", "free-delivery" })
        {
            var reached = customers.Where(c => c.Variant == variant && !(c.Customer.PaysAfter < Duration.FromHours(1))).ToList();
            printed.Row("Steps:", $"email-{variant}")[..4].Should().Equal([variant, .. Split(reached)], $"the {variant} arm follows the rules");

            // The variants' table leaves the holdout out; a customer is assigned when the experiment's step runs.
            var assigned = reached.Where(c => !c.Holdout).ToList();
            var paid = assigned.Where(converted.Contains).ToList();
            printed.Row("A/B test 'offer' (holdout left out):", variant).Should().Equal(
                "50 %", N(assigned.Count), N(paid.Count), printed.Percent(paid.Count, assigned.Count), printed.Money(paid.Sum(c => c.Customer.Basket.Total)));
        }

        printed.Row("Steps:", "last-call")[..4].Should().Equal(["-", .. Split(customers.Where(c => !(c.Customer.PaysAt < c.LastCall)).ToList())]);

        // The holdout against the journey, and the incremental revenue with its interval.
        var held = customers.Where(c => c.Holdout).ToList();
        printed.Row("Journey against its 10 % holdout:", "holdout").Should().Equal(
            N(held.Count), N(held.Count(converted.Contains)), printed.Percent(held.Count(converted.Contains), held.Count), printed.Money(held.Where(converted.Contains).Sum(c => c.Customer.Basket.Total)));

        // Revenue per customer in each group (0 for those who did not pay), the difference times the journey group's
        // size, and the Welch interval of a difference of means.
        var journeyGroup = customers.Where(c => !c.Holdout).Select(c => converted.Contains(c) ? (double)c.Customer.Basket.Total : 0).ToList();
        var holdoutGroup = held.Select(c => converted.Contains(c) ? (double)c.Customer.Basket.Total : 0).ToList();
        var difference = journeyGroup.Average() - holdoutGroup.Average();
        var half = 1.959963984540054 * Math.Sqrt((Variance(journeyGroup) / journeyGroup.Count) + (Variance(holdoutGroup) / holdoutGroup.Count));
        var line = Regex.Match(printed.Text, @"incremental revenue: (.+) \(95 % CI (.+) to (.+)\), (.+) a customer");
        line.Success.Should().BeTrue();
        decimal Amount(int group) => decimal.Parse(line.Groups[group].Value, NumberStyles.Currency, printed.Culture);
        Amount(1).Should().BeApproximately((decimal)(difference * journeyGroup.Count), 0.01m);
        Amount(2).Should().BeApproximately((decimal)((difference - half) * journeyGroup.Count), 0.01m);
        Amount(3).Should().BeApproximately((decimal)((difference + half) * journeyGroup.Count), 0.01m);
        Amount(4).Should().BeApproximately((decimal)difference, 0.01m);

        string[] Split(IReadOnlyList<Drawn> reached) =>
        [
            N(reached.Count(c => !c.Holdout && c.Customer.Basket.Customer.Email is not null)),
            N(reached.Count(c => !c.Holdout && c.Customer.Basket.Customer.Email is null)),
            N(reached.Count(c => c.Holdout)),
        ];
    }

    [Fact]
    public async Task PrintsTheFeaturedCustomersTimelines()
    {
        var printed = await PrintedScenario.RunAsync(new S3Strategies(), Options, "fr-FR");

        printed.Section("Free delivery, paid after the e-mail").Should()
            .Contain("+00:00:00  exit-intent sent (on-site)").And.Contain("on-site (exit-intent)  Vous partez déjà ?")
            .And.Contain("+00:00:00  add-to-audience sent (ad-audience)")
            .And.Contain("+01:00:00  assigned to offer: free-delivery").And.Contain("Objet : Livraison offerte sur vos ")
            .And.Contain("attributed to email-free-delivery").And.MatchRegex(@"remove-from-audience sent \(ad-audience\)");
        printed.Section("No offer, never paid: off the audience at the end").Should()
            .Contain("+01:00:00  assigned to offer: no-offer").And.Contain("last-call sent (email)").And.Contain("completed");
        printed.Section("Held out: sent nothing, paid on their own").Should()
            .Contain("in the holdout: sent nothing").And.Contain("skipped exit-intent: holdout").And.NotContain(" sent (");
    }

    private static double Variance(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
    }

    /// <summary>The next 19:00 in Paris at least 21 hours (1 h, then 20 h) after the start.</summary>
    private static Instant LastCall(Instant start)
    {
        var earliest = (start + Duration.FromHours(21)).InZone(Paris).LocalDateTime;
        var date = earliest.TimeOfDay <= new LocalTime(19, 0) ? earliest.Date : earliest.Date.PlusDays(1);
        return (date + new LocalTime(19, 0)).InZoneLeniently(Paris).ToInstant();
    }

    private sealed record Drawn(S3Customer Customer, bool Holdout, string Variant, Instant LastCall);
}
