using CheckoutRecovery.Scenarios;
using FluentAssertions;
using NodaTime;

namespace CheckoutRecovery.Tests.Scenarios;

/// <summary>
/// Runs S4 as <c>--scenario s4</c> does and checks what it prints, in Swiss francs the Swiss French way, against the
/// scenario's rules applied here to the simulated visitors, with the rollout's arm drawn by this test from the documented hash.
/// </summary>
public sealed class S4MultichannelTests
{
    private static readonly ScenarioOptions Options = new(Customers: 600, Seed: 5);

    [Fact]
    public async Task PrintsTheRunTheRulesDescribe()
    {
        var printed = await PrintedScenario.RunAsync(new S4Multichannel(), Options, "fr-CH");
        var population = S4Multichannel.Population(Options);
        var buyers = population.Where(c => c.Basket.Segment == VisitorSegment.Buyer)
            .Select(c => (Visitor: c, Arm: Buckets.Variant("multichannel", "push-timing", c.Basket.Customer.Id, ("one-hour", 90), ("twenty-minutes", 10))))
            .ToList();
        string N(int count) => printed.Count(count);
        bool Unpaid((S4Customer Visitor, string Arm) c, Duration at) => !(c.Visitor.PaysAfter < at);

        // Browsers do not enter; every buyer who pays does so within two days, before the journey's end at +48 h.
        printed.Total("entered").Should().Equal(N(buyers.Count));
        printed.Text.Should().Contain($"browsers who left a basket and did not enter (segment filter): {population.Count - buyers.Count}");
        var paid = buyers.Where(c => c.Visitor.PaysAt is not null).ToList();
        printed.Total("paid")[0].Should().Be(N(paid.Count));
        printed.Total("revenue").Should().Equal(printed.Money(paid.Sum(c => c.Visitor.Basket.Total)));

        // App push and web push at the arm's time, each to those who have it.
        var pushed = buyers.Where(c => Unpaid(c, c.Arm == "one-hour" ? Duration.FromHours(1) : Duration.FromMinutes(20))).ToList();
        printed.Row("Channels:", "push")[..2].Should().Equal(N(pushed.Count(c => c.Visitor.Basket.Customer.PushToken is not null)), N(pushed.Count(c => c.Visitor.Basket.Customer.PushToken is null)));
        printed.Row("Channels:", "web-push")[..2].Should().Equal(N(pushed.Count(c => c.Visitor.Basket.Customer.WebPushEndpoint is not null)), N(pushed.Count(c => c.Visitor.Basket.Customer.WebPushEndpoint is null)));

        // At +4 h, an SMS when the phone is known, else the e-mail.
        var reminded = buyers.Where(c => Unpaid(c, Duration.FromHours(4))).Select(c => c.Visitor.Basket.Customer).ToList();
        printed.Row("Channels:", "sms")[..2].Should().Equal(N(reminded.Count(c => c.Phone is not null)), N(reminded.Count(c => c.Phone is null)));
        printed.Row("Channels:", "email")[..2].Should().Equal(N(reminded.Count(c => c.Phone is null && c.Email is not null)), N(reminded.Count(c => c.Phone is null && c.Email is null)));

        // At +24 h, the chat to those with a handle.
        var chatted = buyers.Where(c => Unpaid(c, Duration.FromHours(24))).Select(c => c.Visitor.Basket.Customer).ToList();
        printed.Row("Channels:", "chat")[..2].Should().Equal(N(chatted.Count(c => c.ChatId is not null)), N(chatted.Count(c => c.ChatId is null)));

        // The rollout's two arms, side by side under their experiment.
        foreach (var (arm, weight) in new[] { ("one-hour", 90), ("twenty-minutes", 10) })
        {
            var inArm = buyers.Where(c => c.Arm == arm).ToList();
            var armPaid = inArm.Where(c => c.Visitor.PaysAt is not null).ToList();
            printed.Row("A/B test 'push-timing' (holdout left out):", arm).Should().Equal(
                $"{weight} %", N(inArm.Count), N(armPaid.Count), printed.Percent(armPaid.Count, inArm.Count), printed.Money(armPaid.Sum(c => c.Visitor.Basket.Total)));
        }

        printed.Row("Steps:", "push-1h")[0].Should().Be("one-hour");
        printed.Row("Steps:", "push-20min")[0].Should().Be("twenty-minutes");
    }

    [Fact]
    public async Task PrintsTheFeaturedCustomersOnEveryChannelInSwissFrancs()
    {
        var printed = await PrintedScenario.RunAsync(new S4Multichannel(), Options, "fr-CH");

        printed.Section("A buyer with the app, a browser subscription and a phone, never paid").Should()
            .Contain("+01:00:00  push-1h sent (push)").And.Contain("+01:00:00  push-1h sent (web-push)")
            .And.Contain("+04:00:00  sms-or-email sent (sms)").And.Contain("+24:00:00  chat-help sent (chat)")
            .And.Contain("quick replies: Oui, aidez-moi | Non merci").And.MatchRegex(@"sms  Votre panier de \d+\.\d\d CHF vous attend");
        printed.Section("A buyer in the new timing's rollout, no phone: the reminder by e-mail, then paid").Should()
            .Contain("+00:00:00  assigned to push-timing: twenty-minutes")
            .And.Contain("+04:00:00  skipped sms-or-email: no phone number").And.Contain("+04:00:00  sms-or-email sent (email)")
            .And.Contain("attributed to sms-or-email");
        printed.Total("revenue")[0].Should().EndWith(" CHF");
    }
}
