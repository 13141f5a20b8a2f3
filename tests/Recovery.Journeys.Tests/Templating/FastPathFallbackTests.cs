using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Templating;
using Recovery.Journeys.Tests.Fixtures;

namespace Recovery.Journeys.Tests.Templating;

/// <summary>
/// What the fast path (<see cref="SubstitutionTemplate"/>) writes itself and what it hands to Handlebars. Its contract:
/// strings and integers of the model's own types are written without Handlebars, which is never compiled then; a
/// decimal, a missing or null value, a null list or item, an item or event of another type than the template was
/// compiled for go to Handlebars, which is compiled on that first render. Whether Handlebars was compiled is read from
/// the fallback template (<see cref="HandlebarsTemplateEngine.CompiledTemplate.IsCompiled"/>); each expected text is
/// written out by hand.
/// </summary>
public sealed class FastPathFallbackTests
{
    private static readonly TemplateModelShape Shape = new(typeof(CheckoutAbandoned), new HashSet<string> { "count", "big", "price", "nothing", "absent", "scheme" });

    private static readonly TemplateModelShape BasketShape = new(typeof(Basket), new HashSet<string>());

    private static readonly CartItem Sneakers = new("Sneakers", 49.90m, "https://cdn.example.com/sneakers.jpg");

    private static readonly CartItem Socks = new("Socks", 5m, "https://cdn.example.com/socks.jpg");

    public static TheoryData<string, string, string> WrittenByTheFastPath => new()
    {
        { "Commande {{event.OrderId}}", "order-1", "Commande order-1" },
        { "{{values.count}}/{{values.big}}", "order-1", "15/15000000000" },
        { "{{customer.name}} {{journey.step}} {{event.SecondsOnPaymentPage}}", "order-1", "Alice push-1 45" },
        { "{{#each event.Items}}[{{Name}}|{{ImageUrl}}]{{/each}}", "order-1", "[Sneakers|https://cdn.example.com/sneakers.jpg][Socks|https://cdn.example.com/socks.jpg]" },
        { "<a href=\"{{event.OrderId}}\">x</a>", "https://shop.example.com/o/1", "<a href=\"https://shop.example.com/o/1\">x</a>" },
        { "<a href=\"{{event.OrderId}}\">x</a>", "javascript:alert(1)", "<a href=\"#\">x</a>" },
        { "<img src=\"{{values.scheme}}:{{event.OrderId}}\">", "alert(1)", "<img src=\"about:blank\">" },
        { "<img src=\"https://cdn.example.com/{{event.OrderId}}\">", "a.jpg", "<img src=\"https://cdn.example.com/a.jpg\">" },

        // An unquoted value that ends the template.
        { "<img src={{event.OrderId}}", "javascript:alert(1)", "<img src=about:blank" },
        { "<img src={{event.OrderId}}", "a.jpg", "<img src=a.jpg" },
    };

    [Theory]
    [MemberData(nameof(WrittenByTheFastPath))]
    public void Render_StringsAndIntegers_AreWrittenWithoutHandlebars(string source, string orderId, string expected)
    {
        var template = Compile(source, TemplateFormat.Html);

        template.Render(Model(Shop.Abandoned(orderId) with { Items = [Sneakers, Socks] })).Should().Be(expected);

        Fallback(template).IsCompiled.Should().BeFalse("the fast path wrote every value of '{0}'", source);
    }

    [Fact]
    public void Render_ValuesThatHandlebarsFormats_GoToHandlebars()
    {
        // A decimal, a value that is not in the model, a null value: Handlebars writes "49.90", nothing, nothing.
        foreach (var (source, expected) in new[] { ("[{{values.price}}]", "[49.90]"), ("[{{values.absent}}]", "[]"), ("[{{values.nothing}}]", "[]") })
        {
            var template = Compile(source, TemplateFormat.PlainText);

            template.Render(Model(Shop.Abandoned())).Should().Be(expected);

            Fallback(template).IsCompiled.Should().BeTrue("'{0}' is rendered by Handlebars", source);
        }
    }

    [Fact]
    public void Render_AnEventOfAnotherTypeThanTheShapes_GoesToHandlebars_AndTheShapesTypeDoesNot()
    {
        var template = Compile("Commande {{event.OrderId}}", TemplateFormat.PlainText);

        template.Render(Model(Shop.Abandoned("order-7"))).Should().Be("Commande order-7");
        Fallback(template).IsCompiled.Should().BeFalse();

        template.Render(Model(new OtherEvent("other-8"))).Should().Be("Commande other-8");
        Fallback(template).IsCompiled.Should().BeTrue();
    }

    [Fact]
    public void Render_TextOnly_NeverNeedsHandlebars_WhateverTheEvent()
    {
        var text = Compile("Votre panier vous attend.", TemplateFormat.Html);
        var empty = Compile(string.Empty, TemplateFormat.PlainText);

        text.Render(Model(new OtherEvent("x"))).Should().Be("Votre panier vous attend.");
        empty.Render(Model(new OtherEvent("x"))).Should().Be(string.Empty);

        Fallback(text).IsCompiled.Should().BeFalse();
        Fallback(empty).IsCompiled.Should().BeFalse();
    }

    [Fact]
    public void Render_ANullList_GoesToHandlebars_WhichWritesNothingForIt()
    {
        var template = Compile("x{{#each event.Items}}[{{Name}}]{{/each}}y", TemplateFormat.PlainText);

        template.Render(Model(Shop.Abandoned() with { Items = [Sneakers] })).Should().Be("x[Sneakers]y");
        Fallback(template).IsCompiled.Should().BeFalse();

        template.Render(Model(Shop.Abandoned() with { Items = null! })).Should().Be("xy");
        Fallback(template).IsCompiled.Should().BeTrue();
    }

    [Fact]
    public void Render_AnItemOfADerivedType_GoesToHandlebars_WhichReadsItTheSame()
    {
        var engine = new HandlebarsTemplateEngine();
        var template = engine.Compile("{{#each event.Lines}}<{{Name}}>{{/each}}", TemplateFormat.PlainText, BasketShape);
        var basket = new Basket([new Line { Name = "Sac" }]);
        var withGift = new Basket([new Line { Name = "Sac" }, new GiftLine { Name = "Carte", Message = "Merci" }]);

        template.Render(Model(basket)).Should().Be("<Sac>");
        Fallback(template).IsCompiled.Should().BeFalse();

        template.Render(Model(withGift)).Should().Be("<Sac><Carte>");
        Fallback(template).IsCompiled.Should().BeTrue();
    }

    [Fact]
    public void Compile_AnEachOverAListOfValues_LeavesTheTemplateToHandlebars()
    {
        // The items are numbers, not objects whose members the fast path reads.
        var template = new HandlebarsTemplateEngine().Compile("{{#each event.Quantities}}x{{/each}}", TemplateFormat.PlainText, BasketShape);

        template.Should().NotBeOfType<SubstitutionTemplate>();
        template.Render(Model(new Basket([]))).Should().Be("xx");
    }

    [Fact]
    public void Compile_AnEachInsideAnEach_LeavesTheTemplateToHandlebars_WhichReadsTheInnerListFromTheItem()
    {
        // Inside the outer block, event.Lines is the item's Event.Lines, not the model's: "x" for A, nothing for B.
        const string Source = "{{#each event.Lines}}<{{Name}}:{{#each event.Lines}}{{Name}}{{/each}}>{{/each}}";
        var template = new HandlebarsTemplateEngine().Compile(Source, TemplateFormat.PlainText, BasketShape);
        var basket = new Basket([new Line { Name = "A", Event = new Basket([new Line { Name = "x" }]) }, new Line { Name = "B" }]);

        template.Should().NotBeOfType<SubstitutionTemplate>();
        template.Render(Model(basket)).Should().Be("<A:x><B:>");
    }

    [Theory]
    [InlineData("{{#each event.Items}}[{{Name}}] {{~/each}}!", "[Sneakers][Socks]!")]
    [InlineData("{{#each event.Items}}[{{Name}}]\n  {{/each}}\n!", "[Sneakers]\n[Socks]\n!")]
    public void Compile_AnEachClosedWithWhitespaceControlOrOnItsOwnLine_LeavesTheTemplateToHandlebars(string source, string expected)
    {
        // {{~/each}} trims the space before it; a close tag alone on its line is removed with the line's indentation and end.
        var template = new HandlebarsTemplateEngine().Compile(source, TemplateFormat.PlainText, Shape);

        template.Should().NotBeOfType<SubstitutionTemplate>();
        template.Render(Model(Shop.Abandoned() with { Items = [Sneakers, Socks] })).Should().Be(expected);
    }

    [Fact]
    public void Compile_TextWithTwoCloseBraces_LeavesTheTemplateToHandlebars()
    {
        // The fast path leaves "}}" in text to Handlebars (it may belong to a construct its scanner does not know);
        // here Handlebars writes it as text.
        var template = new HandlebarsTemplateEngine().Compile("{{event.OrderId}} }} fin", TemplateFormat.PlainText, Shape);

        template.Should().NotBeOfType<SubstitutionTemplate>();
        template.Render(Model(Shop.Abandoned())).Should().Be("order-1 }} fin");
    }

    [Fact]
    public void Compile_ThisInsideAnEach_IsTheItem_EvenWhenTheItemHasAPropertyNamedThis()
    {
        var template = new HandlebarsTemplateEngine().Compile("{{#each event.Lines}}{{this.Name}};{{/each}}", TemplateFormat.PlainText, BasketShape);
        var basket = new Basket([new Line { Name = "A", This = new Line { Name = "not this one" } }]);

        template.Render(Model(basket)).Should().Be("A;");
    }

    private static ICompiledTemplate Compile(string source, TemplateFormat format)
    {
        var template = new HandlebarsTemplateEngine().Compile(source, format, Shape);
        template.Should().BeOfType<SubstitutionTemplate>("'{0}' is for the fast path", source);
        return template;
    }

    private static HandlebarsTemplateEngine.CompiledTemplate Fallback(ICompiledTemplate template) =>
        template.Should().BeOfType<SubstitutionTemplate>().Which.Fallback.Should().BeOfType<HandlebarsTemplateEngine.CompiledTemplate>().Which;

    private sealed record OtherEvent(string OrderId);

    private sealed record Basket(IReadOnlyList<Line> Lines)
    {
        public IReadOnlyList<int> Quantities { get; init; } = [1, 2];
    }

    private class Line
    {
        public string Name { get; init; } = string.Empty;

        public Basket? Event { get; init; }

        public Line? This { get; init; }
    }

    private sealed class GiftLine : Line
    {
        public string Message { get; init; } = string.Empty;
    }

    private static TemplateModel Model(object @event) => new()
    {
        Event = @event,
        Customer = Shop.Alice,
        Now = Instant.FromUtc(2026, 1, 5, 10, 0),
        Values = new Dictionary<string, object?> { ["count"] = 15, ["big"] = 15_000_000_000L, ["price"] = 49.90m, ["nothing"] = null, ["scheme"] = "javascript" },
        Journey = TemplateJourneys.Push1After65Minutes(),
    };
}
