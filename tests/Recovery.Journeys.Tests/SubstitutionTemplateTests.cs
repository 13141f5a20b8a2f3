using NodaTime;
using Recovery.Journeys.Templating;
using Recovery.Journeys.Tests.Fixtures;

namespace Recovery.Journeys.Tests;

/// <summary>
/// The fast path for plain-text templates of text and field paths must write exactly what Handlebars writes. Each
/// template is compared with itself plus an empty comment, which the fast path does not take, so Handlebars renders it.
/// </summary>
public sealed class SubstitutionTemplateTests
{
    private static readonly TemplateModelShape Shape = new(typeof(CheckoutAbandoned), new HashSet<string> { "left", "missing", "nothing", "price" });

    public static TheoryData<string> Templates =>
    [
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
    public void Render_PlainTextTemplate_WritesWhatHandlebarsWrites(string source)
    {
        var model = Model();
        var fast = HandlebarsTemplateEngine.Default.Compile(source, TemplateFormat.PlainText, Shape);
        var handlebars = HandlebarsTemplateEngine.Default.Compile(source + "{{!-- handlebars --}}", TemplateFormat.PlainText, Shape);

        fast.Render(model).Should().Be(handlebars.Render(model));
    }

    [Fact]
    public void Compile_TextAndFieldPaths_TakesTheFastPath()
    {
        HandlebarsTemplateEngine.Default.Compile("Commande {{event.OrderId}}, {{values.left}} minutes", TemplateFormat.PlainText, Shape)
            .Should().BeOfType<SubstitutionTemplate>();
    }

    [Theory]
    [InlineData("Bonjour {{customer.name}}", TemplateFormat.Html)]
    [InlineData("{{money event.Total}}", TemplateFormat.PlainText)]
    [InlineData("{{#each event.Items}}{{Name}}{{/each}}", TemplateFormat.PlainText)]
    [InlineData("{{{event.OrderId}}}", TemplateFormat.PlainText)]
    [InlineData("{{~event.OrderId~}}", TemplateFormat.PlainText)]
    [InlineData("{{now}}", TemplateFormat.PlainText)]
    public void Compile_HelpersBlocksHtmlOrSingleNames_LeavesTheTemplateToHandlebars(string source, TemplateFormat format)
    {
        HandlebarsTemplateEngine.Default.Compile(source, format, Shape).Should().NotBeOfType<SubstitutionTemplate>();
    }

    private static TemplateModel Model() => new()
    {
        Event = Shop.Abandoned(),
        Customer = Shop.Alice,
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
