using NodaTime;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Templating;
using Recovery.Journeys.Tests.Fixtures;

namespace Recovery.Journeys.Tests;

/// <summary>
/// The fast path for templates of text, field paths and simple <c>#each</c> blocks must write exactly what Handlebars
/// writes. Each template is compared with itself plus an empty comment, which the fast path does not take, so
/// Handlebars renders it.
/// </summary>
public sealed class SubstitutionTemplateTests
{
    private static readonly TemplateModelShape Shape = new(typeof(CheckoutAbandoned), new HashSet<string> { "left", "missing", "nothing", "price" });

    public static TheoryData<string> Templates =>
    [
        "<p>Bonjour {{customer.name}},</p>{{#each event.Items}}<img src=\"{{ImageUrl}}\" alt=\"{{Name}}\">{{/each}}",
        "{{#each event.Items}}[{{Name}} à {{Price}}]{{/each}} et {{#each event.Items}}{{name}}{{/each}}",
        "Articles :\n{{#each event.Items}}\n- {{Name}}\n{{/each}}\nFin",
        "{{#each event.Items}}{{Name}}{{else}}vide{{/each}}",
        "{{#each event.Items}}{{@index}}:{{Name}}{{/each}}",
        "",
        "Votre commande vous attend.",
        "Commande {{event.OrderId}}",
        "{{event.OrderId}}",
        "Il reste {{values.left}} minutes, {{customer.name}} ({{customer.Email}}) !",
        "{{ event.orderId }}-{{event.SecondsOnPaymentPage}}-{{journey.instanceId}}-{{journey.elapsedMinutes}}-{{journey.step}}",
        "Total {{event.Total}} pour {{event.OrderId}}",
        "Valeur {{values.price}}, manquante [{{values.missing}}], nulle [{{values.nothing}}]",
        "Téléphone [{{customer.Phone}}] et fuseau [{{customer.TimeZone}}]",
        "Accolades } et { seules, et \\{{event.OrderId}} échappée",
        "Depuis {{journey.startedAt}} ({{journey.elapsed}})",
        "Payez dans les 30 minutes pour bénéficier de 10 % de remise SUPPLÉMENTAIRE ! ⏳",
        "<a href=\"{{event.OrderId}}\">{{customer.name}}</a>{{#each event.Items}}<img src={{ImageUrl}} alt='{{Name}}'>{{/each}}",
        "<a href=\" {{customer.name}}-{{event.OrderId}}\">x</a><a href=\"https://shop.example.com/{{customer.name}}\">y</a>",
    ];

    [Theory]
    [MemberData(nameof(Templates))]
    public void Render_Template_WritesWhatHandlebarsWrites(string source)
    {
        foreach (var format in new[] { TemplateFormat.PlainText, TemplateFormat.Html })
        {
            foreach (var model in new[] { Model(), Model(Tricky) })
            {
                var fast = HandlebarsTemplateEngine.Default.Compile(source, format, Shape);
                var handlebars = HandlebarsTemplateEngine.Default.Compile(source + "{{!-- handlebars --}}", format, Shape);

                fast.Render(model).Should().Be(handlebars.Render(model), $"{format} must render the same");
            }
        }
    }

    [Fact]
    public void Compile_S1Email_TakesTheFastPath()
    {
        HandlebarsTemplateEngine.Default.Compile("<p>Bonjour {{customer.name}},</p>{{#each event.Items}}<img src=\"{{ImageUrl}}\" alt=\"{{Name}}\">{{/each}}", TemplateFormat.Html, Shape)
            .Should().BeOfType<SubstitutionTemplate>();
    }

    [Fact]
    public void Compile_TextAndFieldPaths_TakesTheFastPath()
    {
        HandlebarsTemplateEngine.Default.Compile("Commande {{event.OrderId}}, {{values.left}} minutes", TemplateFormat.PlainText, Shape)
            .Should().BeOfType<SubstitutionTemplate>();
    }

    [Theory]
    [InlineData("{{#each event.Items}}{{Name}}{{else}}vide{{/each}}", TemplateFormat.Html)]
    [InlineData("Articles :\n{{#each event.Items}}\n- {{Name}}\n{{/each}}\nFin", TemplateFormat.PlainText)]
    [InlineData("{{#with customer}}{{name}}{{/with}}", TemplateFormat.PlainText)]
    [InlineData("{{#if event.OrderId}}x{{/if}}", TemplateFormat.Html)]
    [InlineData("{{money event.Total}}", TemplateFormat.PlainText)]
    [InlineData("{{{event.OrderId}}}", TemplateFormat.PlainText)]
    [InlineData("{{~event.OrderId~}}", TemplateFormat.PlainText)]
    [InlineData("{{now}}", TemplateFormat.PlainText)]
    public void Compile_HelpersOtherBlocksStandaloneTagsOrSingleNames_LeavesTheTemplateToHandlebars(string source, TemplateFormat format)
    {
        HandlebarsTemplateEngine.Default.Compile(source, format, Shape).Should().NotBeOfType<SubstitutionTemplate>();
    }

    /// <summary>
    /// Random templates of text, field paths, URL attributes and <c>#each</c> blocks: the fast path, when it takes
    /// them, writes what Handlebars writes.
    /// </summary>
    [Fact]
    public void RandomTemplates_RenderAsHandlebarsRendersThem()
    {
        var random = new Random(20260105);
        var fast = 0;
        for (var i = 0; i < 150; i++)
        {
            var source = RandomTemplate(random, depth: 0);
            foreach (var format in new[] { TemplateFormat.PlainText, TemplateFormat.Html })
            {
                var template = HandlebarsTemplateEngine.Default.Compile(source, format, Shape);
                var handlebars = HandlebarsTemplateEngine.Default.Compile(source + "{{!-- handlebars --}}", format, Shape);
                fast += template is SubstitutionTemplate ? 1 : 0;
                foreach (var model in new[] { Model(), Model(Tricky), Model(Shop.Abandoned(" javascript:alert(1)")) })
                {
                    template.Render(model).Should().Be(handlebars.Render(model), $"{format} '{source}' must render the same");
                }
            }
        }

        fast.Should().BeGreaterThan(150, "most of these templates are for the fast path");
    }

    private static string RandomTemplate(Random random, int depth)
    {
        string[] texts = ["a", " ", "<p>", "é €", "\n", " }", "{ ", "=", "&amp;"];
        string[] rootPaths = ["{{event.OrderId}}", "{{customer.name}}", "{{values.left}}", "{{journey.step}}", "{{event.Total}}", "{{values.missing}}"];
        string[] itemPaths = ["{{Name}}", "{{ImageUrl}}", "{{Price}}"];
        var paths = depth == 0 ? rootPaths : itemPaths;
        var template = new System.Text.StringBuilder();
        for (var n = random.Next(1, 6); n > 0; n--)
        {
            switch (random.Next(depth == 0 ? 5 : 4))
            {
                case 0:
                    template.Append(texts[random.Next(texts.Length)]);
                    break;
                case 1:
                    template.Append(paths[random.Next(paths.Length)]);
                    break;
                case 2:
                    template.Append("<a href=\"").Append(random.Next(3) == 0 ? "x" : string.Empty).Append(paths[random.Next(paths.Length)]).Append("\">");
                    break;
                case 3:
                    template.Append("<img src='").Append(paths[random.Next(paths.Length)]).Append(paths[random.Next(paths.Length)]).Append("'>");
                    break;
                default:
                    template.Append("{{#each event.Items}}").Append(RandomTemplate(random, depth + 1)).Append("{{/each}}");
                    break;
            }
        }

        return template.ToString();
    }

    /// <summary>Values with every character HTML escapes, a scriptable URL, and a basket of three.</summary>
    private static readonly CheckoutAbandoned Tricky = Shop.Abandoned("o<1>&\"'`=é€", customer: Shop.Alice with { Name = "<script>alert('x')</script> & \"Bob\" = `é`" }) with
    {
        Items = [new CartItem("A&B <b>", 1.5m, "https://cdn.example.com/a?x=1&y='2'"), new CartItem("Ç\"", 2m, ""), new CartItem("js", 3m, " JaVa\tScRiPt:alert(1)")],
    };

    private static TemplateModel Model(CheckoutAbandoned? @event = null) => new()
    {
        Event = @event ?? Shop.Abandoned(),
        Customer = (@event ?? Shop.Abandoned()).Customer,
        Now = Instant.FromUtc(2026, 1, 5, 10, 0),
        Values = new Dictionary<string, object?> { ["left"] = 15, ["nothing"] = null, ["price"] = 49.90m },
        Journey = TemplateJourneys.Push1After65Minutes(),
    };
}
