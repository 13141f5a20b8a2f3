using HandlebarsDotNet;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Templating;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;

namespace Recovery.Journeys.Tests;

public sealed class TemplatingTests
{
    private static readonly TemplateModelShape Shape = new(typeof(CheckoutAbandoned), new HashSet<string> { "left" });

    private static JourneyBuilder<CheckoutAbandoned> Checkout() =>
        Journey.When<CheckoutAbandoned>().Named("t").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer);

    private static TemplateModel Model(CheckoutAbandoned? @event = null) => new()
    {
        Event = @event ?? Shop.Abandoned(),
        Customer = Shop.Alice,
        Now = Instant.FromUtc(2026, 1, 5, 10, 0),
        Values = new Dictionary<string, object?> { ["left"] = 15 },
        Journey = new TemplateJourney
        {
            Name = "t",
            Step = "push-1",
            InstanceId = "abc",
            StartedAt = Instant.FromUtc(2026, 1, 5, 9, 0),
            Elapsed = Duration.FromHours(1),
        },
    };

    [Fact]
    public async Task HtmlBody_EscapesValues_AndPlainTextFieldsDoNot()
    {
        var mallory = Shop.Alice with { Name = "<script>alert('x')</script>" };
        using var harness = new JourneyTestHarness(Checkout()
            .Email(m => m.Subject("Bonjour {{customer.name}}").HtmlBody("<p>Bonjour {{customer.name}}</p>").TextBody("Bonjour {{customer.name}}"))
            .Push(p => p.Body("Bonjour {{customer.name}}"))
            .Build());

        await harness.PublishAsync(Shop.Abandoned(customer: mallory));

        var email = harness.SentOf<EmailMessage>().Single().Message;
        email.HtmlBody.Should().Be("<p>Bonjour &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</p>");
        email.Subject.Should().Be("Bonjour <script>alert('x')</script>");
        email.TextBody.Should().Be("Bonjour <script>alert('x')</script>");
        harness.SentOf<PushMessage>().Single().Message.Body.Should().Be("Bonjour <script>alert('x')</script>");
    }

    [Fact]
    public void HtmlBody_TripleStash_WhenAllowed_WritesTrustedHtmlAsIs()
    {
        var template = HandlebarsTemplateEngine.Default.Compile("{{{event.OrderId}}}", TemplateFormat.Html, Shape, allowRawHtml: true);

        template.Render(Model(Shop.Abandoned("<b>1</b>"))).Should().Be("<b>1</b>");
    }

    [Fact]
    public void HtmlBody_TripleStash_IsRefusedUnlessAllowed_PlainTextAlwaysAcceptsIt()
    {
        HandlebarsTemplateEngine.Default.Invoking(e => e.Compile("<p>{{{event.OrderId}}}</p>", TemplateFormat.Html, Shape))
            .Should().Throw<TemplateException>()
            .WithMessage("'{{{event.OrderId}}}' (line 1) writes the value as raw HTML, unescaped, which an HTML template refuses unless it allows raw HTML (AllowRawHtml() on the e-mail); write '{{event.OrderId}}' to escape it");
        HandlebarsTemplateEngine.Default.Compile("{{{event.OrderId}}}", TemplateFormat.PlainText, Shape).Render(Model(Shop.Abandoned("<b>1</b>"))).Should().Be("<b>1</b>");
    }

    [Fact]
    public void Render_EachOverTheCartItems()
    {
        var template = HandlebarsTemplateEngine.Default.Compile(
            "{{#each event.Items}}{{@index}}:{{Name}}={{Price}} {{../event.OrderId}};{{/each}}", TemplateFormat.PlainText, Shape);
        var @event = Shop.Abandoned() with { Items = [new CartItem("A", 1.5m, "a.jpg"), new CartItem("B", 2m, "b.jpg")] };

        template.Render(Model(@event)).Should().Be("0:A=1.5 order-1;1:B=2 order-1;");
    }

    [Fact]
    public void Render_JourneyNowAndValues()
    {
        var template = HandlebarsTemplateEngine.Default.Compile(
            "{{journey.name}}/{{journey.step}}/{{journey.instanceId}} started {{journey.startedAt}}, {{journey.elapsedMinutes}} min ago; now {{now}}; {{values.left}} left",
            TemplateFormat.PlainText,
            Shape);

        template.Render(Model()).Should().Be("t/push-1/abc started 2026-01-05T09:00:00Z, 60 min ago; now 2026-01-05T10:00:00Z; 15 left");
    }

    [Fact]
    public void Render_MemberNamesIgnoreCase()
    {
        var template = HandlebarsTemplateEngine.Default.Compile("{{customer.name}} {{Customer.Name}} {{event.orderId}}", TemplateFormat.PlainText, Shape);

        template.Render(Model()).Should().Be("Alice Alice order-1");
    }

    [Fact]
    public void Render_NullFieldsRenderEmpty()
    {
        var template = HandlebarsTemplateEngine.Default.Compile("[{{customer.phone}}]", TemplateFormat.PlainText, Shape);
        var model = Model();

        template.Render(new TemplateModel { Event = model.Event, Customer = Shop.Alice with { Phone = null }, Journey = model.Journey, Now = model.Now, Values = model.Values })
            .Should().Be("[]");
    }

    [Fact]
    public void CustomHelpers_AreRegisteredAndChecked()
    {
        var options = new HandlebarsTemplateOptions();
        options.Helpers["shout"] = (Context _, Arguments args) => args[0]?.ToString()?.ToUpperInvariant();
        var engine = new HandlebarsTemplateEngine(options);

        engine.Compile("{{shout customer.name}}", TemplateFormat.PlainText, Shape).Render(Model()).Should().Be("ALICE");
        engine.Invoking(e => e.Compile("{{shout customer.nme}}", TemplateFormat.PlainText, Shape))
            .Should().Throw<TemplateException>().WithMessage("*Customer has no field 'nme'*");
    }

    [Fact]
    public void CustomHelpers_SeeTheModelBeingRendered_ItsCultureAndChannel_InsideBlocksToo()
    {
        var options = new HandlebarsTemplateOptions();
        options.ModelHelpers["greeting"] = (model, _) => model.Culture.TwoLetterISOLanguageName == "fr" ? "Bonjour" : "Hello";
        options.ModelHelpers["via"] = (model, arguments) => $"{model.Channel}:{arguments[0]}";
        options.BlockHelpers["onSms"] = (output, block, context, _) =>
        {
            if (HandlebarsTemplateEngine.ModelOf(block).Channel == "sms")
            {
                block.Template(output, context);
            }
        };
        var engine = new HandlebarsTemplateEngine(options);
        var model = Model();

        engine.Compile("{{greeting}} ({{via journey.step}}) {{#each event.Items}}{{#onSms}}{{via Name}}{{/onSms}}{{/each}}", TemplateFormat.PlainText, Shape).Render(new TemplateModel
        {
            Event = model.Event,
            Journey = model.Journey,
            Now = model.Now,
            Values = model.Values,
            Culture = System.Globalization.CultureInfo.GetCultureInfo("fr-FR"),
            Channel = "sms",
        }).Should().Be("Bonjour (sms:push-1) sms:Sneakers");
        typeof(HandlebarsTemplateEngine).GetMembers().Select(m => m.Name).Should().NotContain("CurrentModel", "the model is passed to helpers, not read from ambient state");
    }

    [Fact]
    public void CustomHelpers_CannotTakeABuiltInName_OrOneNameTwice()
    {
        var builtIn = new HandlebarsTemplateOptions();
        builtIn.ModelHelpers["money"] = (_, _) => "x";
        var twice = new HandlebarsTemplateOptions();
        twice.Helpers["shout"] = (_, _) => "x";
        twice.ModelHelpers["shout"] = (_, _) => "y";

        FluentActions.Invoking(() => new HandlebarsTemplateEngine(builtIn)).Should().Throw<ArgumentException>().WithMessage("'money' is a built-in helper*");
        FluentActions.Invoking(() => new HandlebarsTemplateEngine(twice)).Should().Throw<ArgumentException>().WithMessage("'shout' is registered twice*");
    }

    [Fact]
    public async Task Build_WithAnotherTemplateEngine_UsesIt()
    {
        var engine = new UpperCaseEngine();
        var journey = Checkout().Push(p => p.Title("hello").Body("world")).Build(engine);
        using var harness = new JourneyTestHarness(journey);

        await harness.PublishAsync(Shop.Abandoned());

        engine.Compiled.Should().Equal("hello", "world");
        harness.SentOf<PushMessage>().Single().Message.Should().BeEquivalentTo(new { Title = "HELLO", Body = "WORLD" });
    }

    [Fact]
    public void Templates_AreCompiledOnceAtBuild_NotPerSend()
    {
        var engine = new UpperCaseEngine();

        Checkout().Push(p => p.Body("a")).Sms(s => s.Text("b")).Build(engine);

        engine.Compiled.Should().Equal("a", "b");
    }

    [Fact]
    public async Task Templates_AreNotCompiledAgainWhenSending()
    {
        var engine = new UpperCaseEngine();
        using var harness = new JourneyTestHarness(Checkout().Push(p => p.Body("a")).Build(engine));

        await harness.PublishAsync(Shop.Abandoned("1"));
        await harness.PublishAsync(Shop.Abandoned("2"));

        engine.Compiled.Should().ContainSingle();
        engine.Rendered.Should().Be(2);
    }

    [Theory]
    [InlineData("{{event.Total}}")]
    [InlineData("{{#each event.Items}}{{Name}} {{ImageUrl}} {{this}} {{.}}{{/each}}")]
    [InlineData("{{#with customer}}{{Name}}{{Email}}{{/with}}")]
    [InlineData("{{#if customer.Email}}yes{{else}}{{customer.phone}}{{/if}}")]
    [InlineData("{{#unless event.Items}}empty{{/unless}}")]
    [InlineData("{{#each event.Items as |item|}}{{item.Name}}{{/each}}")]
    [InlineData("{{lookup customer.attributes \"tier\"}}")]
    [InlineData("{{#each event.Items}}{{else}}{{event.OrderId}}{{/each}}")]
    [InlineData("{{!-- {{nope}} --}}")]
    [InlineData("{{~customer.name~}}")]
    [InlineData("{{journey.elapsed}}")]
    public void FieldChecker_AcceptsValidTemplates(string source) =>
        FluentActions.Invoking(() => HandlebarsTemplateEngine.Default.Compile(source, TemplateFormat.PlainText, Shape)).Should().NotThrow();

    [Theory]
    [InlineData("{{event.Totl}}", "CheckoutAbandoned has no field 'Totl'")]
    [InlineData("{{#each event.Items}}{{Nam}}{{/each}}", "CartItem has no field 'Nam'")]
    [InlineData("{{#each event.Items}}{{../customer.nam}}{{/each}}", "Customer has no field 'nam'")]
    [InlineData("{{#with customer}}{{Emial}}{{/with}}", "Customer has no field 'Emial'")]
    [InlineData("{{#if customer.Emial}}x{{/if}}", "Customer has no field 'Emial'")]
    [InlineData("{{journey.nme}}", "TemplateJourney has no field 'nme'")]
    [InlineData("{{values.right}}", "the journey computes no value 'right' (it has left)")]
    [InlineData("{{#each event.Items}}{{else}}{{Name}}{{/each}}", "the model has no field 'Name'")]
    [InlineData("{{#repeat 3}}x{{/repeat}}", "opens 'repeat', which is not a registered block helper")]
    [InlineData("{{upper (lower customer.name)}}", "calls 'upper', which is not a registered helper")]
    public void FieldChecker_RejectsUnknownFields(string source, string problem) =>
        FluentActions.Invoking(() => HandlebarsTemplateEngine.Default.Compile(source, TemplateFormat.PlainText, Shape))
            .Should().Throw<TemplateException>().WithMessage($"*{problem}*");

    private sealed class UpperCaseEngine : ITemplateEngine
    {
        public List<string> Compiled { get; } = [];

        public int Rendered { get; private set; }

        public ICompiledTemplate Compile(string source, TemplateFormat format, TemplateModelShape shape)
        {
            Compiled.Add(source);
            return new Template(this, source.ToUpperInvariant());
        }

        private sealed class Template(UpperCaseEngine owner, string text) : ICompiledTemplate
        {
            public string Render(TemplateModel model)
            {
                owner.Rendered++;
                return text;
            }
        }
    }
}
