using System.Globalization;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Templating;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests;

public sealed class PersonalisationTests
{
    private const char Nbsp = '\u00A0';
    private const char NarrowNbsp = '\u202F';

    private static readonly TemplateModelShape Shape = new(typeof(CheckoutAbandoned), new HashSet<string> { "deadline" });

    private static string Render(string template, string culture = "fr-FR", string zone = "Europe/Paris", Instant? now = null, object? deadline = null, string channel = "email", string? unsubscribe = null) =>
        HandlebarsTemplateEngine.Default.Compile(template, TemplateFormat.PlainText, Shape).Render(new TemplateModel
        {
            Event = Shop.Abandoned(),
            Customer = Shop.Alice,
            Now = now ?? Instant.FromUtc(2026, 1, 5, 9, 0),
            Values = new Dictionary<string, object?> { ["deadline"] = deadline },
            Culture = CultureInfo.GetCultureInfo(culture),
            TimeZone = DateTimeZoneProviders.Tzdb[zone],
            Channel = channel,
            UnsubscribeUrl = unsubscribe,
            Journey = new TemplateJourney { Name = "checkout-recovery", Step = "email-reminder", InstanceId = "abc", StartedAt = Instant.FromUtc(2026, 1, 5, 8, 0), Elapsed = Duration.FromHours(1) },
        });

    private static JourneyBuilder<CheckoutAbandoned> Checkout() =>
        Journey.When<CheckoutAbandoned>().Named("personal").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer);

    [Theory]
    [InlineData("fr-FR", "{{money event.Total}}", "49,90 €")]
    [InlineData("en-US", "{{money event.Total}}", "$49.90")]
    [InlineData("de-DE", "{{money event.Total}}", "49,90 €")]
    [InlineData("fr-FR", "{{money event.Total \"USD\"}}", "49,90 $")]
    [InlineData("en-GB", "{{money 1234.5 \"GBP\"}}", "£1,234.50")]
    [InlineData("ja-JP", "{{money 1500 \"JPY\"}}", "￥1,500")]
    [InlineData("en-US", "{{money 10 \"XYZ\"}}", "10.00 XYZ")]
    public void Money_IsWrittenInTheCustomersCultureAndTheGivenCurrency(string culture, string template, string expected) =>
        Render(template, culture).Replace(Nbsp, ' ').Replace(NarrowNbsp, ' ').Should().Be(expected);

    [Fact]
    public void Numbers_Percentages_AndDiscounts()
    {
        Render("{{number 1234}} utilisateurs").Should().Be($"1{NarrowNbsp}234 utilisateurs");
        Render("{{number 1234}} users", "en-US").Should().Be("1,234 users");
        Render("{{number 2.5 2}}", "en-US").Should().Be("2.50");
        Render("{{percent 0.6}} de remise").Replace(Nbsp, ' ').Replace(NarrowNbsp, ' ').Should().Be("60 % de remise");
        Render("{{percent 0.1}} off", "en-US").Should().Be("10% off");
        Render("{{discounted event.Total 0.6}}", "en-US").Should().Be("19.96");
        Render("{{money (discounted event.Total 0.6)}} au lieu de {{money event.Total}}").Replace(Nbsp, ' ').Should().Be("19,96 € au lieu de 49,90 €");
    }

    [Fact]
    public void DatesAndTimes_AreWrittenInTheCustomersTimeZone()
    {
        var winter = Instant.FromUtc(2026, 1, 5, 9, 0);
        var summer = Instant.FromUtc(2026, 7, 6, 9, 0);

        Render("{{date now}} à {{time now}}", now: winter).Should().Be("lundi 5 janvier 2026 à 10:00");
        Render("{{time now}}", now: summer).Should().Be("11:00", "Paris is UTC+2 in summer");
        Render("{{time now}}", "en-US", "America/New_York", winter).Should().Be("4:00 AM".Replace(' ', NarrowNbsp));
        Render("{{dateTime now \"dd/MM/yyyy HH:mm\"}}", now: winter).Should().Be("05/01/2026 10:00");
        Render("{{time values.deadline}}", deadline: DateTimeOffset.Parse("2026-01-05T12:30:00Z", CultureInfo.InvariantCulture)).Should().Be("13:30");
    }

    [Theory]
    [InlineData("fr-FR", 15, "15 minutes")]
    [InlineData("fr-FR", 1, "1 minute")]
    [InlineData("fr-FR", 0, "0 minute")]
    [InlineData("fr-FR", 120, "2 heures")]
    [InlineData("fr-FR", 59 + 60, "1 heure")]
    [InlineData("fr-FR", 3 * 24 * 60, "3 jours")]
    [InlineData("en-US", 60, "1 hour")]
    [InlineData("en-US", 45, "45 minutes")]
    [InlineData("de-DE", 120, "2 Stunden")]
    [InlineData("es-ES", 2 * 24 * 60, "2 días")]
    [InlineData("sv-SE", 5, "5 minutes")]
    public void TimeLeft_SaysTheTimeUntilADeadlineInTheCustomersLanguage(string culture, int minutes, string expected)
    {
        var now = Instant.FromUtc(2026, 1, 5, 9, 0);

        Render("{{timeLeft values.deadline}}", culture, now: now, deadline: now + Duration.FromMinutes(minutes)).Should().Be(expected);
    }

    [Fact]
    public void TimeLeft_AStepSentMillisecondsLate_StillSaysTheWholeMinutes()
    {
        var now = Instant.FromUtc(2026, 1, 5, 9, 5) + Duration.FromMilliseconds(7);

        Render("{{timeLeft values.deadline}}", now: now, deadline: Instant.FromUtc(2026, 1, 5, 9, 20)).Should().Be("15 minutes");
        Render("{{timeLeft values.deadline}}", now: now + Duration.FromSeconds(1), deadline: Instant.FromUtc(2026, 1, 5, 9, 20)).Should().Be("14 minutes");
    }

    [Fact]
    public async Task UnknownCustomerCulture_FallsBackToTheJourneysDefault()
    {
        using var harness = new JourneyTestHarness(Checkout().DefaultCulture("fr-FR").Sms(s => s.Text("{{money event.Total}}")).Build());

        await harness.PublishAsync(Shop.Abandoned("1", customer: Shop.Alice with { Culture = "xx-YY" }));
        await harness.PublishAsync(Shop.Abandoned("2", customer: Shop.Alice with { Culture = "en-ZZ" }));

        harness.SentOf<SmsMessage>().Select(s => s.Message.Text.Replace(Nbsp, ' ')).Should().Equal("49,90 €", "49,90 €");
    }

    [Fact]
    public void TimeLeft_AfterTheDeadline_IsZero() =>
        Render("{{timeLeft values.deadline}}", now: Instant.FromUtc(2026, 1, 5, 9, 0), deadline: Instant.FromUtc(2026, 1, 5, 8, 0)).Should().Be("0 minute");

    [Theory]
    [InlineData("https://shop.example.com/pay", "https://shop.example.com/pay?utm_source=recovery-journeys&utm_medium=email&utm_campaign=checkout-recovery&utm_content=email-reminder")]
    [InlineData("https://shop.example.com/pay?order=1#top", "https://shop.example.com/pay?order=1&utm_source=recovery-journeys&utm_medium=email&utm_campaign=checkout-recovery&utm_content=email-reminder#top")]
    [InlineData("https://shop.example.com/pay?utm_source=mail", "https://shop.example.com/pay?utm_source=mail&utm_medium=email&utm_campaign=checkout-recovery&utm_content=email-reminder")]
    public void TrackedLink_AddsJourneyStepAndChannelParameters(string url, string expected) =>
        Render($"{{{{trackedLink \"{url}\"}}}}").Should().Be(expected);

    [Fact]
    public void TrackedLink_InAnHtmlTemplate_IsAttributeSafe()
    {
        var html = HandlebarsTemplateEngine.Default.Compile("<a href=\"{{trackedLink \"https://s.example/p\"}}\">", TemplateFormat.Html, Shape).Render(new TemplateModel
        {
            Event = Shop.Abandoned(),
            Now = Instant.FromUtc(2026, 1, 5, 9, 0),
            Values = new Dictionary<string, object?>(),
            Channel = "email",
            Journey = new TemplateJourney { Name = "j", Step = "s", InstanceId = "i", StartedAt = Instant.FromUtc(2026, 1, 5, 9, 0), Elapsed = Duration.Zero },
        });

        // Handlebars escapes '=' and '&' as entities, which a browser decodes in the attribute: the link is intact.
        html.Should().NotContain("&utm");
        System.Net.WebUtility.HtmlDecode(html).Should().Be("<a href=\"https://s.example/p?utm_source=recovery-journeys&utm_medium=email&utm_campaign=j&utm_content=s\">");
    }

    [Fact]
    public async Task UnsubscribeUrl_IsSignedPerCustomerAndChannel_AndVerifies()
    {
        var links = new UnsubscribeLinks(new Uri("https://shop.example.com/unsubscribe"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        using var harness = new JourneyTestHarness(
            [Checkout().Email(m => m.Subject("s").TextBody("Se désinscrire : {{unsubscribeUrl}}")).Build()],
            new JourneyTestHarnessOptions { UnsubscribeLinks = links });

        await harness.PublishAsync(Shop.Abandoned());

        var body = harness.SentOf<EmailMessage>().Single().Message.TextBody!;
        var url = new Uri(body["Se désinscrire : ".Length..]);
        var query = url.Query.TrimStart('?').Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        query["customer"].Should().Be("cust-alice");
        query["channel"].Should().Be("email");
        links.TryVerify(query["customer"], query["channel"], query["token"]).Should().BeTrue();
        links.TryVerify("cust-bob", query["channel"], query["token"]).Should().BeFalse();
        links.TryVerify(query["customer"], "sms", query["token"]).Should().BeFalse();
        new UnsubscribeLinks(new Uri("https://shop.example.com/unsubscribe"), Enumerable.Repeat((byte)1, 32).ToArray())
            .TryVerify(query["customer"], query["channel"], query["token"]).Should().BeFalse();
    }

    [Fact]
    public void UnsubscribeLinks_RejectAShortKeyOrARelativeUrl()
    {
        FluentActions.Invoking(() => new UnsubscribeLinks(new Uri("https://s.example/u"), new byte[16])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new UnsubscribeLinks(new Uri("/u", UriKind.Relative), new byte[32])).Should().Throw<ArgumentException>();
    }

    [Fact]
    public async Task Localized_PicksTheVariantOfTheCustomersCulture_FallingBackAlongItsParents()
    {
        var journey = Checkout()
            .DefaultCulture("fr-FR")
            .Push(p => p
                .Body("Votre commande vous attend")
                .Localized("en", en => en.Body("Your order is waiting"))
                .Localized("en-US", us => us.Body("Your order's waiting, y'all"))
                .Localized("de", de => de.Body("Ihre Bestellung wartet")))
            .Build();
        using var harness = new JourneyTestHarness(journey);

        foreach (var (order, culture) in new[] { ("1", "en-GB"), ("2", "en-US"), ("3", "de-AT"), ("4", "fr-CA"), ("5", "it-IT"), ("6", null), ("7", "not-a-culture") })
        {
            await harness.PublishAsync(Shop.Abandoned(order, customer: Shop.Alice with { Culture = culture }));
        }

        harness.SentOf<PushMessage>().Select(s => s.Message.Body).Should().Equal(
            "Your order is waiting",
            "Your order's waiting, y'all",
            "Ihre Bestellung wartet",
            "Votre commande vous attend",
            "Votre commande vous attend",
            "Votre commande vous attend",
            "Votre commande vous attend");
    }

    [Fact]
    public void Localized_VariantsAreCheckedAtBuild()
    {
        FluentActions.Invoking(() => Checkout().Email("mail", m => m.Subject("s").TextBody("t").Localized("en", en => en.Subject("s"))))
            .Should().Throw<JourneyDefinitionException>().WithMessage("*an e-mail needs an HtmlBody(...) or a TextBody(...) (in the 'en' variant)");
        FluentActions.Invoking(() => Checkout().Sms("sms", s => s.Text("ok").Localized("en", en => en.Text("{{event.Nope}}"))).Build())
            .Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'personal', step 'sms': the text (en variant) template is invalid*CheckoutAbandoned has no field 'Nope'*");
        FluentActions.Invoking(() => Checkout().Sms(s => s.Text("ok").Localized("en", en => en.Text("a")).Localized("EN", en => en.Text("b"))))
            .Should().Throw<ArgumentException>().WithMessage("The 'en' variant is described twice.*");
    }

    [Fact]
    public async Task DefaultCultureAndTimeZone_ApplyToCustomersWithoutThem()
    {
        using var harness = new JourneyTestHarness(Checkout()
            .DefaultCulture("de-DE")
            .DefaultTimeZone("Europe/Berlin")
            .Sms(s => s.Text("{{money event.Total}} {{time now}}"))
            .Build());

        await harness.PublishAsync(Shop.Abandoned(customer: Shop.Alice with { Culture = null, TimeZone = null }));

        harness.SentOf<SmsMessage>().Single().Message.Text.Replace(Nbsp, ' ').Should().Be("49,90 € 10:00");
    }

    [Fact]
    public void DefaultCultureOrTimeZone_Unknown_Fails()
    {
        FluentActions.Invoking(() => Checkout().DefaultCulture("xx-NOPE")).Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'personal': the culture 'xx-NOPE' is unknown");
        FluentActions.Invoking(() => Checkout().DefaultTimeZone("Mars/Olympus")).Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'personal': the time zone 'Mars/Olympus' is not a tzdb id");
    }

    [Fact]
    public async Task Content_FetchedAtSendTime_IsVisibleToTemplates()
    {
        var stock = new StockProvider(left: 2);
        var journey = Checkout()
            .Fetch<StockLevel>("stock")
            .Fetch("socialProof")
            .After(1.Hours()).Email(m => m.Subject("Plus que {{content.stock.Left}} en stock !").TextBody("{{number content.socialProof}} utilisateurs ont profité de cette offre"))
            .Build();
        var options = new JourneyTestHarnessOptions();
        options.Content["stock"] = stock;
        options.Content["socialProof"] = new FixedContent(1234);
        using var harness = new JourneyTestHarness([journey], options);

        await harness.PublishAsync(Shop.Abandoned());
        stock.Left = 1;
        await harness.AdvanceAsync(2.Hours());

        var email = harness.SentOf<EmailMessage>().Single().Message;
        email.Subject.Should().Be("Plus que 1 en stock !");
        email.TextBody.Should().Be($"1{NarrowNbsp}234 utilisateurs ont profité de cette offre");
        stock.Requests.Should().ContainSingle().Which.Should().Match<ContentRequest>(r => r.Name == "stock" && r.StepId == "email-1" && r.Customer!.Id == "cust-alice");
    }

    [Fact]
    public async Task Content_ProviderFailure_IsRetriedLikeAChannel_ThenRecordedAsFailed()
    {
        var options = new JourneyTestHarnessOptions();
        options.Content["stock"] = new FailingContent();
        using var harness = new JourneyTestHarness([Checkout().Fetch("stock").Push(p => p.Body("{{content.stock}}")).Build()], options);

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(1.Hours());

        harness.Sent.Should().BeEmpty();
        (await harness.TimelineAsync("order-1")).Where(r => r.StepId is not null).Select(r => (r.Kind, r.Channel)).Should().Equal(
            (JourneyRecordKind.RetryScheduled, "content:stock"),
            (JourneyRecordKind.RetryScheduled, "content:stock"),
            (JourneyRecordKind.Failed, "content:stock"));
    }

    [Fact]
    public void Content_NotDeclared_OrWithoutProvider_Fails()
    {
        FluentActions.Invoking(() => Checkout().Push("p", p => p.Body("{{content.stock}}")).Build())
            .Should().Throw<JourneyDefinitionException>().WithMessage("*the journey fetches no content 'stock' (it fetches none: declare it with Fetch)*");
        FluentActions.Invoking(() => Checkout().Fetch<StockLevel>("stock").Push("p", p => p.Body("{{content.stock.Nope}}")).Build())
            .Should().Throw<JourneyDefinitionException>().WithMessage("*StockLevel has no field 'Nope'*");
        FluentActions.Invoking(() => new JourneyTestHarness(Checkout().Fetch("stock").Push(p => p.Body("x")).Build()))
            .Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'personal': it fetches 'stock' but no content provider of that name is registered");
    }

    [Fact]
    public async Task Content_OfTheWrongType_FailsWithoutRetry()
    {
        var options = new JourneyTestHarnessOptions();
        options.Content["stock"] = new FixedContent("not a stock level");
        using var harness = new JourneyTestHarness([Checkout().Fetch<StockLevel>("stock").Push(p => p.Body("{{content.stock.Left}}")).Build()], options);

        await harness.PublishAsync(Shop.Abandoned());

        (await harness.TimelineAsync("order-1")).Should().Contain(r => r.Kind == JourneyRecordKind.Failed && r.Detail == "returned String, not StockLevel");
    }

    [Fact]
    public async Task EmailHtml_EscapesCustomerDataByDefault_EvenInsideHelpers()
    {
        using var harness = new JourneyTestHarness(Checkout()
            .Email(m => m.Subject("s").HtmlBody("<p>{{customer.name}}</p><p>{{trackedLink event.OrderId}}</p>"))
            .Build());

        await harness.PublishAsync(Shop.Abandoned("<img src=x onerror=alert(1)>", customer: Shop.Alice with { Name = "<b>Eve</b>" }));

        var html = harness.SentOf<EmailMessage>().Single().Message.HtmlBody!;
        html.Should().NotContain("<b>").And.NotContain("<img");
        html.Should().StartWith("<p>&lt;b&gt;Eve&lt;/b&gt;</p>");
    }

    public sealed record StockLevel(int Left);

    private sealed class StockProvider(int left) : IContentProvider
    {
        public int Left { get; set; } = left;

        public List<ContentRequest> Requests { get; } = [];

        public ValueTask<object?> GetAsync(ContentRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return ValueTask.FromResult<object?>(new StockLevel(Left));
        }
    }

    private sealed class FixedContent(object value) : IContentProvider
    {
        public ValueTask<object?> GetAsync(ContentRequest request, CancellationToken cancellationToken) => ValueTask.FromResult<object?>(value);
    }

    private sealed class FailingContent : IContentProvider
    {
        public ValueTask<object?> GetAsync(ContentRequest request, CancellationToken cancellationToken) => throw new HttpRequestException("recommendations API down");
    }
}
