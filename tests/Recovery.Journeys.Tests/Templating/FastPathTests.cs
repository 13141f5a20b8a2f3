using NodaTime;
using Recovery.Journeys.Templating;
using Recovery.Journeys.Tests.Fixtures;

namespace Recovery.Journeys.Tests.Templating;

/// <summary>
/// The shapes of template and model at the edges of the fast path (<see cref="SubstitutionTemplate"/>): whitespace
/// control, inverted and block-parameter blocks, null lists and items, another event type, numbers, and renders one
/// after another on the same thread. Each expected text is written out by hand from what Handlebars does; the fast path
/// must write the same, or leave the template to Handlebars.
/// </summary>
public sealed class FastPathTests
{
    private static readonly TemplateModelShape Shape = new(typeof(CheckoutAbandoned), new HashSet<string> { "count", "big", "price", "nothing" });

    private static readonly CartItem Sneakers = new("Sneakers", 49.90m, "https://cdn.example.com/sneakers.jpg");

    private static readonly CartItem Socks = new("Socks", 5m, "https://cdn.example.com/socks.jpg");

    public static TheoryData<string, string> TwoItems => new()
    {
        // Whitespace control trims the text next to the tag.
        { "a {{~event.OrderId~}} b", "aorder-1b" },
        { "a {{~event.OrderId}} b", "aorder-1 b" },
        { "a {{#each event.Items~}} [{{Name}}] {{~/each}} b", "a [Sneakers][Socks] b" },

        // An inverted block renders only for an empty list.
        { "[{{^each event.Items}}vide{{/each}}]", "[]" },

        // Block parameters name the item.
        { "{{#each event.Items as |item|}}{{item.Name}};{{/each}}", "Sneakers;Socks;" },

        // A block inside a URL attribute, and a URL attribute inside a block.
        { "<a href=\"https://x.example/{{#each event.Items}}{{Name}}{{/each}}\">", "<a href=\"https://x.example/SneakersSocks\">" },
        { "{{#each event.Items}}<a href=\"{{ImageUrl}}\">{{Name}}</a>{{/each}}", "<a href=\"https://cdn.example.com/sneakers.jpg\">Sneakers</a><a href=\"https://cdn.example.com/socks.jpg\">Socks</a>" },

        // Numbers: integers as they are, decimals as Handlebars writes them, null as nothing.
        { "{{values.count}}/{{values.big}}/{{values.price}}/[{{values.nothing}}]", "15/15000000000/49.90/[]" },
        { "", "" },
        { "Rien à remplacer", "Rien à remplacer" },
    };

    [Theory]
    [MemberData(nameof(TwoItems))]
    public void Render_WritesWhatHandlebarsWrites(string source, string expected)
    {
        var model = Model(Shop.Abandoned() with { Items = [Sneakers, Socks] });

        foreach (var format in new[] { TemplateFormat.PlainText, TemplateFormat.Html })
        {
            new HandlebarsTemplateEngine().Compile(source, format, Shape).Render(model).Should().Be(expected, $"{format} '{source}'");
        }
    }

    [Fact]
    public void Render_AnInvertedBlock_WritesItsBodyForAnEmptyList()
    {
        var template = new HandlebarsTemplateEngine().Compile("[{{^each event.Items}}vide{{/each}}]", TemplateFormat.PlainText, Shape);

        template.Render(Model(Shop.Abandoned() with { Items = [] })).Should().Be("[vide]");
    }

    [Fact]
    public void Render_ANullList_WritesNothing_AndANullItem_IsLeftToHandlebars()
    {
        const string Source = "x{{#each event.Items}}[{{Name}}]{{/each}}y";
        var engine = new HandlebarsTemplateEngine();
        var template = engine.Compile(Source, TemplateFormat.Html, Shape);
        var withNull = Model(Shop.Abandoned() with { Items = [null!, Socks] });

        template.Render(Model(Shop.Abandoned() with { Items = null! })).Should().Be("xy");

        // Handlebars.Net 2.4 writes "x[][]y" here (the item after a null one loses its context): the fast path does
        // not try to do better, it writes what Handlebars writes (a comment keeps the template off the fast path).
        template.Render(withNull).Should().Be(engine.Compile(Source + "{{!-- handlebars --}}", TemplateFormat.Html, Shape).Render(withNull));
    }

    [Fact]
    public void Render_AnEventOfAnotherTypeThanTheShapes_IsReadByItsOwnMembers()
    {
        var template = new HandlebarsTemplateEngine().Compile("Commande {{event.OrderId}} ({{event.Total}})", TemplateFormat.PlainText, Shape);

        template.Render(Model(new Imported("imp-9", 12))).Should().Be("Commande imp-9 (12)");
        template.Render(Model(Shop.Abandoned())).Should().Be("Commande order-1 (49.90)");
    }

    [Fact]
    public void Render_OneAfterAnother_OnTheSameThread_StartsEachTextAfresh()
    {
        var engine = new HandlebarsTemplateEngine();
        var order = engine.Compile("Commande {{event.OrderId}}", TemplateFormat.PlainText, Shape);
        var withMissing = engine.Compile("{{event.OrderId}}:{{values.nothing}}", TemplateFormat.PlainText, Shape);
        var long5000 = new string('x', 5000);

        var first = order.Render(Model(Shop.Abandoned("order-1")));
        var fellBack = withMissing.Render(Model(Shop.Abandoned("order-2")));
        var afterFallBack = order.Render(Model(Shop.Abandoned("order-3")));
        var large = order.Render(Model(Shop.Abandoned(long5000)));
        var afterLarge = order.Render(Model(Shop.Abandoned("order-4")));

        first.Should().Be("Commande order-1");
        fellBack.Should().Be("order-2:");
        afterFallBack.Should().Be("Commande order-3");
        large.Should().Be("Commande " + long5000);
        afterLarge.Should().Be("Commande order-4");
    }

    [Theory]
    [InlineData("", TemplateFormat.PlainText)]
    [InlineData("Rien à remplacer", TemplateFormat.Html)]
    [InlineData("{{#each event.Items}}{{Name}}{{/each}}", TemplateFormat.PlainText)]
    [InlineData("<a href=\"{{event.OrderId}}\">{{customer.name}}</a>", TemplateFormat.Html)]
    [InlineData("<a href=\"https://x.example/?o={{event.OrderId}}&c={{customer.name}}\">x</a>", TemplateFormat.Html)]
    [InlineData("{{#each event.Items}}<img src=\"{{ImageUrl}}\">{{/each}}", TemplateFormat.Html)]
    [InlineData("{{values.count}} {{journey.step}}", TemplateFormat.PlainText)]
    public void Compile_TextPathsEachAndUrlAttributes_TakeTheFastPath(string source, TemplateFormat format)
    {
        new HandlebarsTemplateEngine().Compile(source, format, Shape).Should().BeOfType<SubstitutionTemplate>();
    }

    [Theory]
    [InlineData("a {{~event.OrderId~}} b")]
    [InlineData("a {{#each event.Items~}} [{{Name}}] {{~/each}} b")]
    [InlineData("[{{^each event.Items}}vide{{/each}}]")]
    [InlineData("{{#each event.Items as |item|}}{{item.Name}};{{/each}}")]
    [InlineData("{{#each event.Items}}{{this}}{{/each}}")]
    [InlineData("{{#each event.Items}}{{../customer.name}}{{/each}}")]
    [InlineData("{{#each event.Items}}{{#each ../event.Items}}{{Name}}{{/each}}{{/each}}")]
    public void Compile_WhitespaceControlInvertedBlockParamsOrNested_LeavesTheTemplateToHandlebars(string source)
    {
        new HandlebarsTemplateEngine().Compile(source, TemplateFormat.PlainText, Shape).Should().NotBeOfType<SubstitutionTemplate>();
    }

    private sealed record Imported(string OrderId, int Total);

    private static TemplateModel Model(object @event) => new()
    {
        Event = @event,
        Customer = Shop.Alice,
        Now = Instant.FromUtc(2026, 1, 5, 10, 0),
        Values = new Dictionary<string, object?> { ["count"] = 15, ["big"] = 15_000_000_000L, ["price"] = 49.90m, ["nothing"] = null },
        Journey = TemplateJourneys.Push1After65Minutes(),
    };
}
