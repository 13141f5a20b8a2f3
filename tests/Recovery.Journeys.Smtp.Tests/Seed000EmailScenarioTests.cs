using System.Net;
using System.Text.RegularExpressions;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Smtp.Tests.Fixtures;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Smtp.Tests;

/// <summary>
/// The e-mail of seed 000 (scenario S1), defined as a journey in the DSL, run by the test harness on its fake clock,
/// sent by the real <see cref="SmtpEmailChannel"/> to the real SMTP server, and read back from what the server received.
/// </summary>
[Collection(SmtpServerCollection.Name)]
public sealed partial class Seed000EmailScenarioTests(SmtpTestServer server)
{
    [Fact]
    public async Task UnpaidCheckout_AfterOneHour_TheServerReceivesTheSeedEmail()
    {
        var smtp = new SmtpEmailChannel(server.Options(), TimeProvider.System);
        using var harness = new JourneyTestHarness([Seed000.Journey()], new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(smtp) });
        var start = harness.Clock.Now;
        var order = Seed000.Abandoned();

        await harness.PublishAsync(order);
        await harness.AdvanceAsync(1.Hours());

        harness.Sent.Select(s => (s.StepId, s.At - start)).Should().Equal(("push-reminder", 5.Minutes()), ("email-reminder", 1.Hours()));
        var sent = harness.SentOf<EmailMessage>().Single();
        var received = server.ReceivedFor(sent.IdempotencyKey).Should().ContainSingle("the step ran once and was sent once").Subject;
        var message = received.Message;

        message.Subject.Should().Be("Offre à durée limitée bientôt expirée ! Finalisez votre commande maintenant");
        message.MessageId.Should().Be($"{sent.InstanceId}=3Aemail-reminder@shop.example");
        received.RcptTos.Should().Equal("helene.dupre@client.example");
        message.To.Mailboxes.Single().Name.Should().Be("Hélène");

        var html = received.Html!;
        var text = received.Text!;
        html.Should().Contain("<p>Bonjour Hélène,</p>");
        text.Should().StartWith("Bonjour Hélène,");

        ImageSources(html).Should().Equal(
            "https://cdn.shop.example/products/baskets-montmartre.jpg",
            "https://cdn.shop.example/products/cabas-toile.jpg",
            "https://countdown.shop.example/timer.gif?until=2026-01-05T12:00:00Z");
        AltTexts(html).Should().Contain("Baskets en cuir « Montmartre »", "product names are shown, HTML-escaped and decoded intact");

        var desktop = Seed000.DesktopPayLink(order.OrderId);
        var mobile = Seed000.MobilePayLink(order.OrderId);
        Links(html).Should().Contain([desktop, mobile]);
        text.Should().Contain(desktop).And.Contain(mobile);

        // The order number, the discount (60 % of 149,70 € = 89,82 €), the countdown, the steps and the contacts.
        foreach (var part in new[] { html, text })
        {
            part.Should().Contain("CMD-2026-00042")
                .And.Contain("-60 %")
                .And.Contain("89,82 €")
                .And.Contain("59,88 €")
                .And.Contain("Plus que 120 minutes")
                .And.Contain("Vérifiez votre adresse de livraison")
                .And.Contain("01 23 45 67 89")
                .And.Contain("service-client@shop.example");
        }

        (await harness.TimelineAsync(order.OrderId)).Select(r => r.Kind).Should().Equal(JourneyRecordKind.Entered, JourneyRecordKind.Sent, JourneyRecordKind.Sent);
    }

    [Fact]
    public async Task OrderPaidBeforeOneHour_NoEmailReachesTheServer()
    {
        var smtp = new SmtpEmailChannel(server.Options(), TimeProvider.System);
        using var harness = new JourneyTestHarness([Seed000.Journey()], new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(smtp) });
        var order = Seed000.Abandoned() with { OrderId = "CMD-2026-00043" };

        await harness.PublishAsync(order);
        await harness.AdvanceAsync(30.Minutes());
        await harness.PublishAsync(new OrderPaid(order.OrderId, 59.88m));
        await harness.AdvanceAsync(2.Days());

        harness.Sent.Select(s => s.StepId).Should().Equal("push-reminder");
        var instance = (await harness.InstancesAsync(order.OrderId)).Single();
        instance.Status.Should().Be(JourneyStatus.Converted);
        server.ReceivedFor($"{instance.Id}:email-reminder").Should().BeEmpty();
    }

    private static IEnumerable<string> ImageSources(string html) => ImgSrc().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value));

    private static IEnumerable<string> AltTexts(string html) => ImgAlt().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value));

    private static IEnumerable<string> Links(string html) => Href().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value));

    [GeneratedRegex("<img [^>]*src=\"([^\"]+)\"")]
    private static partial Regex ImgSrc();

    [GeneratedRegex("<img [^>]*alt=\"([^\"]+)\"")]
    private static partial Regex ImgAlt();

    [GeneratedRegex("<a [^>]*href=\"([^\"]+)\"")]
    private static partial Regex Href();
}
