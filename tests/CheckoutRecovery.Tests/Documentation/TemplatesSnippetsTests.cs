using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Recovery.Journeys;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Templating;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;

namespace CheckoutRecovery.Tests.Documentation;

/// <summary>Runs the snippets of docs/templates.md and renders every example row of its tables.</summary>
public sealed partial class TemplatesSnippetsTests
{
    private static readonly Customer Alice = new("cust-alice")
    {
        Name = "Alice Martin",
        Email = "alice@example.com",
        Phone = "+33612345678",
        PushToken = "token-alice",
        Culture = "fr-FR",
        TimeZone = "Europe/Paris",
    };

    private static CheckoutAbandoned Abandoned(string orderId = "order-1", Customer? customer = null) => new(
        orderId,
        customer ?? Alice,
        [new CartItem("Baskets en cuir", 29.90m, "https://cdn.example.com/baskets.jpg"), new CartItem("Gourde", 20.00m, "https://cdn.example.com/gourde.jpg")],
        49.90m,
        45);

    // Culture data writes some spaces as no-break spaces (U+00A0, U+202F), which vary between ICU versions; the page
    // shows them as spaces.
    private static string WithPlainSpaces(string text) => text.Replace('\u00A0', ' ').Replace('\u202F', ' ');

    [Fact]
    public void EveryExampleRowOfThePage_RendersAsShown()
    {
        var page = File.ReadAllText(Path.Combine(DocumentationSnippetsTests.RepoRoot, "docs/templates.md"));
        var rows = ExampleRow().Matches(page).Select(m => (Template: m.Groups[1].Value, Customer: m.Groups[2].Value.Trim(), Output: m.Groups[3].Value)).ToList();

        var wrong = rows
            .Select(r => (r.Template, r.Customer, Expected: r.Output, Actual: WithPlainSpaces(RenderExample(r.Template, r.Customer))))
            .Where(r => r.Actual != r.Expected)
            .Select(r => $"{r.Template} for {r.Customer}: the page says '{r.Expected}', it renders '{r.Actual}'")
            .ToList();

        rows.Should().HaveCountGreaterThan(40);
        wrong.Should().BeEmpty();
    }

    [Fact]
    public async Task EveryField_RendersTheModel()
    {
        var options = new JourneyTestHarnessOptions();
        options.Content["stock"] = new FixedContent(new StockLevel("Gourde", 2));
        using var harness = new JourneyTestHarness([TemplatesSnippets.EveryField()], options);

        await harness.PublishAsync(Abandoned(customer: Alice with { Culture = null, TimeZone = null }));
        await harness.AdvanceAsync(1.Hours());

        var email = harness.SentOf<EmailMessage>().Single().Message;
        email.Subject.Should().Be("Alice Martin, votre commande order-1 vous attend");
        WithPlainSpaces(email.TextBody!).Should().Be("""
            - Baskets en cuir : 29,90 €
            - Gourde : 20,00 €
            Plus que 2 « Gourde » en stock.
            Offre valable jusqu'à 10:20, encore 15 minutes.
            (checkout-recovery/email-reminder sur email, envoyé à 2026-01-05T09:05:00Z)
            """.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task WithHelpers_RendersTheFirstPush()
    {
        using var harness = new JourneyTestHarness(TemplatesSnippets.WithHelpers());

        await harness.PublishAsync(Abandoned());
        await harness.AdvanceAsync(1.Hours());

        var push = harness.SentOf<PushMessage>().Single().Message;
        WithPlainSpaces(push.Body).Should().Be("Il ne vous reste que 15 minutes pour payer 19,96 € au lieu de 49,90 € (60 % de remise jusqu'à 10:20).");
        push.DeepLink.Should().Be("https://shop.example.com/pay?order=order-1&utm_source=recovery-journeys&utm_medium=push&utm_campaign=checkout-recovery&utm_content=push-reminder");
    }

    [Fact]
    public async Task Escaping_HtmlBodyOnly_AndTripleStashForTrustedHtml()
    {
        using var harness = new JourneyTestHarness(Journey.When<CheckoutAbandoned>()
            .Named("escaping")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .Email(m => m.Subject("Bonjour {{customer.name}}").HtmlBody("<p>Bonjour {{customer.name}}</p>{{{customer.name}}}").AllowRawHtml().TextBody("Bonjour {{customer.name}}"))
            .Build());

        await harness.PublishAsync(Abandoned(customer: Alice with { Name = "<b>Eve</b> & Co" }));

        var email = harness.SentOf<EmailMessage>().Single().Message;
        email.HtmlBody.Should().Be("<p>Bonjour &lt;b&gt;Eve&lt;/b&gt; &amp; Co</p><b>Eve</b> & Co");
        email.Subject.Should().Be("Bonjour <b>Eve</b> & Co");
        email.TextBody.Should().Be("Bonjour <b>Eve</b> & Co");

        await harness.PublishAsync(Abandoned("quotes", Alice with { Name = "\"'`=" }));
        harness.SentOf<EmailMessage>()[^1].Message.HtmlBody.Should().StartWith("<p>Bonjour &quot;&#x27;&#x60;&#x3D;</p>");
    }

    [Fact]
    public async Task TrustedBanner_IsWrittenAsIs_AndThreeBracesWithoutAllowRawHtmlFailAtBuild()
    {
        var options = new JourneyTestHarnessOptions();
        options.Content["banner"] = new FixedContent("<div class=\"promo\">-10 %</div>");
        using var harness = new JourneyTestHarness([TemplatesSnippets.WithTrustedBanner()], options);

        await harness.PublishAsync(Abandoned(customer: Alice with { Name = "<b>Eve</b>" }));

        harness.SentOf<EmailMessage>().Single().Message.HtmlBody.Should().Be("<div class=\"promo\">-10 %</div><p>Bonjour &lt;b&gt;Eve&lt;/b&gt;</p>");
        FluentActions.Invoking(() => Journey.When<CheckoutAbandoned>()
                .Named("checked")
                .CorrelateBy(e => e.OrderId)
                .ForCustomer(e => e.Customer)
                .Email("mail", m => m.Subject("s").HtmlBody("{{> footer}}{{{customer.name}}}"))
                .Build())
            .Should().Throw<JourneyDefinitionException>().WithMessage(
                "Journey 'checked', step 'mail': the HTML body template is invalid: " +
                "'{{> footer}}' (line 1) includes the partial 'footer', which is not defined: the engine registers no partials, so define it in the template with {{#*inline \"footer\"}}...{{/inline}}; " +
                "'{{{customer.name}}}' (line 1) writes the value as raw HTML, unescaped, which an HTML template refuses unless it allows raw HTML (AllowRawHtml() on the e-mail); write '{{customer.name}}' to escape it");
    }

    [Fact]
    public void EveryUrlRowOfThePage_RendersAsShown()
    {
        var page = File.ReadAllText(Path.Combine(DocumentationSnippetsTests.RepoRoot, "docs/templates.md"));
        var rows = UrlRow().Matches(page).Select(m => (Template: m.Groups[1].Value, Value: m.Groups[2].Value, Output: m.Groups[3].Value)).ToList();
        var shape = new TemplateModelShape(typeof(CheckoutAbandoned), new HashSet<string> { "link" });

        var wrong = rows
            .Select(r => (r.Template, r.Value, Expected: r.Output, Actual: HandlebarsTemplateEngine.Default.Compile(r.Template, TemplateFormat.Html, shape).Render(new TemplateModel
            {
                Event = Abandoned(),
                Now = InstantPattern.ExtendedIso.Parse("2026-01-05T09:00:00Z").Value,
                Values = new Dictionary<string, object?> { ["link"] = r.Value },
                Journey = new TemplateJourney { Name = "checkout-recovery", Step = "email-reminder", InstanceId = "i", StartedAt = InstantPattern.ExtendedIso.Parse("2026-01-05T08:00:00Z").Value, Elapsed = Duration.FromHours(1) },
            })))
            .Where(r => r.Actual != r.Expected)
            .Select(r => $"{r.Template} with '{r.Value}': the page says '{r.Expected}', it renders '{r.Actual}'")
            .ToList();

        rows.Should().HaveCountGreaterThan(5);
        wrong.Should().BeEmpty();
    }

    [Fact]
    public void BuildChecks_NameEveryProblem_ButNotInsideValuesObjectContentOrDictionaries()
    {
        var build = () => Journey.When<CheckoutAbandoned>()
            .Named("checked")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .Push("push", p => p.Body("{{event.OrderNumber}} {{values.offerEndsAt}} {{content.stock}} {{monney event.Total}} {{#each event.Items}}{{Nom}}{{/each}}"))
            .Build();

        build.Should().Throw<JourneyDefinitionException>().WithMessage(
            "Journey 'checked', step 'push': the body template is invalid: " +
            "'{{event.OrderNumber}}' (line 1): CheckoutAbandoned has no field 'OrderNumber'; " +
            "'{{values.offerEndsAt}}' (line 1): the journey computes no value 'offerEndsAt' (it has none); " +
            "'{{content.stock}}' (line 1): the journey fetches no content 'stock' (it fetches none: declare it with Fetch); " +
            "'{{monney event.Total}}' (line 1) calls 'monney', which is not a registered helper; " +
            "'{{Nom}}' (line 1): CartItem has no field 'Nom'");

        var notChecked = () => Journey.When<CheckoutAbandoned>()
            .Named("unchecked")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .Compute("offer", _ => new { Code = "RELANCE10" })
            .Fetch("socialProof")
            .Push(p => p.Body("{{values.offer.Cdoe}} {{content.socialProof.anything}} {{customer.attributes.segmnet}} {{timeLeft}}"))
            .Build();
        notChecked.Should().NotThrow();
    }

    [Fact]
    public async Task HelperWithAMissingArgument_FailsWhenTheMessageRenders_WithoutRetry()
    {
        using var harness = new JourneyTestHarness(Journey.When<CheckoutAbandoned>()
            .Named("broken")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .Push("push", p => p.Body("Il reste {{timeLeft}}"))
            .Build());

        await harness.PublishAsync(Abandoned());
        await harness.AdvanceAsync(1.Hours());

        harness.Sent.Should().BeEmpty();
        (await harness.TimelineAsync("order-1")).Where(r => r.StepId is not null).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Kind = JourneyRecordKind.Failed,
            Detail = "rendering failed: HandlebarsRuntimeException: timeLeft: argument 1 is missing or undefined.",
        });
        await harness.Engine.Invoking(e => e.PreviewAsync("broken", "push", Abandoned("preview")).AsTask())
            .Should().ThrowAsync<HandlebarsDotNet.HandlebarsRuntimeException>().WithMessage("timeLeft: argument 1 is missing or undefined.");
    }

    [Fact]
    public async Task UnsubscribeLink_OptsTheCustomerOutThroughTheShopsEndpoint_AndTheNextEmailIsSkipped()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        await using var shop = TemplatesSnippets.BuildShop(["--urls", "http://127.0.0.1:0"], key);
        await shop.StartAsync();
        var address = new Uri(shop.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var options = new JourneyTestHarnessOptions
        {
            Consent = new PreferenceCentre(shop.Services.GetRequiredService<Preferences>()),
            UnsubscribeLinks = shop.Services.GetRequiredService<UnsubscribeLinks>(),
        };
        using var harness = new JourneyTestHarness([TemplatesSnippets.WithUnsubscribeLink()], options);
        using var http = new HttpClient();

        await harness.PublishAsync(Abandoned());
        var text = harness.SentOf<EmailMessage>().Single().Message.TextBody!;
        var link = new Uri(text[(text.IndexOf("Se désinscrire : ", StringComparison.Ordinal) + "Se désinscrire : ".Length)..]);
        link.GetLeftPart(UriPartial.Path).Should().Be("https://shop.example.com/unsubscribe");
        link.Query.Should().StartWith("?customer=cust-alice&channel=email&token=");
        var local = new UriBuilder(link) { Scheme = address.Scheme, Host = address.Host, Port = address.Port }.Uri;

        using var tampered = await http.GetAsync(new Uri(local.AbsoluteUri.Replace("cust-alice", "cust-bob", StringComparison.Ordinal)));
        using var unsubscribed = await http.GetAsync(local);
        await harness.AdvanceAsync(2.Days());

        tampered.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        unsubscribed.StatusCode.Should().Be(HttpStatusCode.OK);
        (await unsubscribed.Content.ReadAsStringAsync()).Should().Be("Vous ne recevrez plus nos messages par email.");
        harness.SentOf<EmailMessage>().Should().ContainSingle();
        (await harness.TimelineAsync("order-1")).Should().Contain(r => r.StepId == "email-last-call" && r.Kind == JourneyRecordKind.Skipped && r.Detail == "customer opted out of email");
        WebUtility.HtmlDecode(harness.SentOf<EmailMessage>().Single().Message.HtmlBody!).Should().Contain($"<a href=\"{link.AbsoluteUri}\">Se désinscrire</a>");
        await shop.StopAsync();
    }

    [Fact]
    public async Task Localized_FollowsTheCustomersCultureUpItsParents()
    {
        using var harness = new JourneyTestHarness(TemplatesSnippets.Localized());
        var cultures = new[] { "en-US", "en-GB", "de-AT", "fr-CA", "it-IT", null };

        foreach (var (culture, i) in cultures.Select((c, i) => (c, i)))
        {
            await harness.PublishAsync(Abandoned($"order-{i}", Alice with { Culture = culture }));
        }

        harness.SentOf<PushMessage>().Select(s => $"{s.Message.Title}: {WithPlainSpaces(s.Message.Body)}").Should().Equal(
            "Your cart: Your €49.90 cart is waiting.",
            "Your basket: Your €49.90 basket is waiting.",
            "Ihr Warenkorb: Ihr Warenkorb über € 49,90 wartet.",
            "Votre panier: Votre panier de 49,90 € vous attend.",
            "Votre panier: Votre panier de 49,90 € vous attend.",
            "Votre panier: Votre panier de 49,90 € vous attend.");
    }

    [Fact]
    public async Task Content_IsFetchedAtSendTime_AndTheDependencyInjectionRegistrationWorks()
    {
        var inventory = new Inventory { ["Baskets en cuir"] = 12, ["Gourde"] = 2 };
        var options = new JourneyTestHarnessOptions();
        options.Content["stock"] = new LowestStockProvider(inventory);
        options.Content["socialProof"] = new SocialProofProvider(recoveredOrders: 1234);
        using var harness = new JourneyTestHarness([TemplatesSnippets.WithContent()], options);

        await harness.PublishAsync(Abandoned("low"));
        await harness.PublishAsync(Abandoned("empty") with { Items = [] });
        await harness.AdvanceAsync(2.Hours());

        harness.SentOf<EmailMessage>().Select(s => (s.Message.Subject, WithPlainSpaces(s.Message.TextBody!))).Should().Equal(
            ("Plus que 2 en stock !", "1 234 clients ont profité de cette offre."),
            ("Votre panier vous attend", "1 234 clients ont profité de cette offre."));

        var services = new ServiceCollection().AddSingleton<HttpClient>().AddSingleton<IInventory>(inventory);
        TemplatesSnippets.RegisterContent(services);
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<JourneyEngine>().Journeys.Should().ContainSingle();
    }

    [Fact]
    public async Task Content_ProviderThatFails_IsRetriedLikeAChannel()
    {
        var options = new JourneyTestHarnessOptions();
        options.Content["stock"] = new LowestStockProvider(new Inventory(down: true));
        options.Content["socialProof"] = new SocialProofProvider(recoveredOrders: 1234);
        using var harness = new JourneyTestHarness([TemplatesSnippets.WithContent()], options);

        await harness.PublishAsync(Abandoned());
        await harness.AdvanceAsync(2.Hours());

        harness.Sent.Should().BeEmpty();
        (await harness.TimelineAsync("order-1")).Where(r => r.StepId is not null).Select(r => (r.At - FakeClock.DefaultStart, r.Kind, r.Channel, r.Detail)).Should().Equal(
            (1.Hours(), JourneyRecordKind.RetryScheduled, "content:stock", "attempt 1 of 3 failed: HttpRequestException: inventory unavailable; retrying in 1m"),
            (1.Hours() + 1.Minutes(), JourneyRecordKind.RetryScheduled, "content:stock", "attempt 2 of 3 failed: HttpRequestException: inventory unavailable; retrying in 2m"),
            (1.Hours() + 3.Minutes(), JourneyRecordKind.Failed, "content:stock", "attempt 3 of 3 failed: HttpRequestException: inventory unavailable"));
    }

    [Fact]
    public async Task CustomHelpers_FirstNameAndIfLowStock()
    {
        var options = new JourneyTestHarnessOptions();
        options.Content["stock"] = new LowestStockProvider(new Inventory { ["Baskets en cuir"] = 12, ["Gourde"] = 2 });
        using var harness = new JourneyTestHarness([TemplatesSnippets.WithCustomHelpers()], options);

        await harness.PublishAsync(Abandoned());
        await harness.PublishAsync(Abandoned("plenty") with { Items = [new CartItem("Baskets en cuir", 29.90m, "https://cdn.example.com/baskets.jpg")] });

        await harness.PublishAsync(Abandoned("english", Alice with { Culture = "en-GB" }));

        harness.SentOf<PushMessage>().Select(s => s.Message.Body).Should().Equal(
            "Bonjour Alice, vite, il n'en reste que 2 !",
            "Bonjour Alice, votre panier vous attend.",
            "Hello Alice, vite, il n'en reste que 2 !");
        FluentActions.Invoking(() => new HandlebarsTemplateEngine(new HandlebarsTemplateOptions { Helpers = { ["money"] = (_, _) => "" } }))
            .Should().Throw<ArgumentException>().WithMessage("'money' is a built-in helper; give your helper another name.*");
    }

    [Fact]
    public async Task PlaceholderEngine_RendersAndChecksAtBuild()
    {
        var journey = Journey.When<CheckoutAbandoned>()
            .Named("placeholders")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .Email("mail", m => m.Subject("{name}, votre commande {order}").HtmlBody("<p>Bonjour {name}</p>"))
            .Build(new PlaceholderEngine());
        using var harness = new JourneyTestHarness(journey);

        await harness.PublishAsync(Abandoned(customer: Alice with { Name = "<Eve>" }));

        harness.SentOf<EmailMessage>().Single().Message.Should().Be(new EmailMessage("<Eve>, votre commande order-1", "<p>Bonjour &lt;Eve&gt;</p>", null));
        FluentActions.Invoking(() => Journey.When<CheckoutAbandoned>().Named("placeholders").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
                .Push("push", p => p.Body("{nom}")).Build(new PlaceholderEngine()))
            .Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'placeholders', step 'push': the body template is invalid: unknown placeholder {nom}");
    }

    // ## SMS length
    // begin-snippet: templates-sms-one-segment
    [Fact]
    public async Task SmsReminder_FitsInOneSegment()
    {
        using var harness = new JourneyTestHarness(Journey.When<CheckoutAbandoned>()
            .Named("sms-reminder")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .DefaultCulture("fr-FR")
            .After(30.Minutes()).Sms("sms", s => s.Text("Votre panier de {{money event.Total \"EUR\"}} vous attend : https://shop.example.com/pay?order={{event.OrderId}}"))
            .Build());

        var preview = await harness.Engine.PreviewAsync("sms-reminder", "sms", Abandoned("A-123456"));

        var sms = (SmsMessage)preview.Messages.Single().Message!;
        sms.Encoding.Should().Be(SmsEncoding.Gsm7);
        sms.Segments.Should().Be(1);
    }
    // end-snippet

    [Fact]
    public void SmsMessage_EncodingAndSegments_AsThePageSays()
    {
        new SmsMessage("Votre panier vous attend : 49,90 €").Should().Match<SmsMessage>(m => m.Encoding == SmsEncoding.Gsm7 && m.Segments == 1);
        new SmsMessage("Votre commande n'est pas payée ⏳").Should().Match<SmsMessage>(m => m.Encoding == SmsEncoding.Ucs2 && m.Segments == 1);
        new SmsMessage(new string('a', 160)).Segments.Should().Be(1);
        new SmsMessage(new string('a', 161)).Segments.Should().Be(2);
        new SmsMessage(new string('ê', 70)).Segments.Should().Be(1);
        new SmsMessage(new string('ê', 71)).Segments.Should().Be(2);
        new SmsMessage(new string('€', 80)).Segments.Should().Be(1, "€ takes two GSM-7 septets");
        new SmsMessage(new string('€', 81)).Segments.Should().Be(2);
        new SmsMessage("é è à ù É Ç").Encoding.Should().Be(SmsEncoding.Gsm7);
        foreach (var letter in new[] { "ê", "â", "î", "ô", "ç", "œ" })
        {
            new SmsMessage(letter).Encoding.Should().Be(SmsEncoding.Ucs2, letter);
        }
    }

    [Fact]
    public async Task Preview_RendersTheFirstPushAtItsDueTime_WithoutSending()
    {
        using var harness = new JourneyTestHarness(TemplatesSnippets.WithHelpers());

        var shown = await TemplatesSnippets.PreviewFirstPushAsync(harness.Engine, Abandoned("A-42"), CancellationToken.None);
        var unreachable = await TemplatesSnippets.PreviewFirstPushAsync(harness.Engine, Abandoned("A-43", Alice with { PushToken = null }), CancellationToken.None);

        WithPlainSpaces(shown).Should().Be("2026-01-05T09:05:00Z: Il ne vous reste que 15 minutes pour payer 19,96 € au lieu de 49,90 € (60 % de remise jusqu'à 10:20).");
        unreachable.Should().Be("not sent: no app push token");
        harness.Sent.Should().BeEmpty();
        (await harness.Store.FindAsync(new JourneyInstanceQuery(), default)).Should().BeEmpty();
    }

    private static string RenderExample(string template, string customer)
    {
        var parts = customer.Split(", ");
        var culture = parts[0] is "invariant" or "any" ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(parts[0]);
        var zone = parts.Length > 1 ? DateTimeZoneProviders.Tzdb[parts[1]] : DateTimeZone.Utc;
        var shape = new TemplateModelShape(typeof(CheckoutAbandoned), new HashSet<string>());
        try
        {
            return HandlebarsTemplateEngine.Default.Compile(template, TemplateFormat.PlainText, shape).Render(new TemplateModel
            {
                Event = Abandoned(),
                Customer = Alice,
                Now = InstantPattern.ExtendedIso.Parse("2026-01-05T09:00:00Z").Value,
                Values = new Dictionary<string, object?>(),
                Culture = culture,
                TimeZone = zone,
                Channel = "email",
                Journey = new TemplateJourney
                {
                    Name = "checkout-recovery",
                    Step = "email-reminder",
                    InstanceId = "5f0c6c1e0a4b4c5e9d1f2a3b4c5d6e7f",
                    StartedAt = InstantPattern.ExtendedIso.Parse("2026-01-05T08:00:00Z").Value,
                    Elapsed = Duration.FromHours(1),
                },
            });
        }
        catch (Exception e) when (e is TemplateException or HandlebarsDotNet.HandlebarsRuntimeException)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    // | `<a href="{{values.link}}">` | `value of values.link` | `output` |
    [GeneratedRegex(@"^\| `(<[^`]*\{\{values\.link\}\}[^`]*)` \| `([^`]*)` \| `([^`]*)` \|", RegexOptions.Multiline)]
    private static partial Regex UrlRow();

    // | `{{template}}` | culture (or "invariant", or "any" where it makes no difference)[, time zone] | `output` |
    [GeneratedRegex(@"^\| `(\{\{.*?\}\})` \| ([^|`]+) \| `([^`]*)` \|", RegexOptions.Multiline)]
    private static partial Regex ExampleRow();

    private sealed class FixedContent(object value) : IContentProvider
    {
        public ValueTask<object?> GetAsync(ContentRequest request, CancellationToken cancellationToken) => ValueTask.FromResult<object?>(value);
    }

    private sealed class Inventory(bool down = false) : Dictionary<string, int>, IInventory
    {
        public ValueTask<int> CountAsync(string product, CancellationToken cancellationToken) =>
            down ? throw new HttpRequestException("inventory unavailable") : ValueTask.FromResult(this[product]);
    }
}
