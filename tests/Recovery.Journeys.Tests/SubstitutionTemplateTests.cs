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

    /// <summary>Values with every character HTML escapes, and a basket of two.</summary>
    private static readonly CheckoutAbandoned Tricky = Shop.Abandoned("o<1>&\"'`=é€", customer: Shop.Alice with { Name = "<script>alert('x')</script> & \"Bob\" = `é`" }) with
    {
        Items = [new CartItem("A&B <b>", 1.5m, "https://cdn.example.com/a?x=1&y='2'"), new CartItem("Ç\"", 2m, "")],
    };

    private static TemplateModel Model(CheckoutAbandoned? @event = null) => new()
    {
        Event = @event ?? Shop.Abandoned(),
        Customer = (@event ?? Shop.Abandoned()).Customer,
        Now = Instant.FromUtc(2026, 1, 5, 10, 0),
        Values = new Dictionary<string, object?> { ["left"] = 15, ["nothing"] = null, ["price"] = 49.90m },
        Journey = new TemplateJourney
        {
            Name = "t",
            Step = "push-1",
            InstanceId = "0123456789abcdef0123456789abcdef",
            StartedAt = Instant.FromUtc(2026, 1, 5, 9, 0),
            Elapsed = Duration.FromMinutes(65),
        },
    };
}
