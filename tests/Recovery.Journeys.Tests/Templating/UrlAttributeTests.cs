using System.Text;
using System.Text.RegularExpressions;
using HandlebarsDotNet;
using NodaTime;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Templating;
using Recovery.Journeys.Tests.Fixtures;

namespace Recovery.Journeys.Tests;

/// <summary>
/// A value from the model written into an <c>href</c> or <c>src</c> attribute of an HTML template must not give the
/// link or the image a scriptable URL. Every template is rendered through both paths: the fast path, and Handlebars
/// (the same source ending with a comment, which the fast path leaves to Handlebars).
/// </summary>
public sealed class UrlAttributeTests
{
    private static readonly TemplateModelShape Shape = new(typeof(CheckoutAbandoned), new HashSet<string> { "link", "scheme", "rest" });

    [Theory]
    [InlineData("<a href=\"{{values.link}}\">", "<a href=\"#\">")]
    [InlineData("<a HREF='{{values.link}}'>", "<a HREF='#'>")]
    [InlineData("<a href={{values.link}}>", "<a href=#>")]
    [InlineData("<img alt=\"x\" src=\"{{values.link}}\" />", "<img alt=\"x\" src=\"about:blank\" />")]
    [InlineData("<a href=\" {{values.link}}\">", "<a href=\"#\">")]
    [InlineData("{{#each event.Items}}<a href=\"{{../values.link}}\">{{Name}}</a>{{/each}}", "<a href=\"#\">Sneakers</a>")]
    [InlineData("<a href=\"{{#if values.link}}{{values.link}}{{else}}https://shop.example.com{{/if}}\">", "<a href=\"#\">")]
    [InlineData("<a href=\"{{values.scheme}}{{values.rest}}\">", "<a href=\"#\">")]
    [InlineData("<a href=\"java{{values.rest}}\">", "<a href=\"#\">")]
    public void ScriptableUrl_IsReplaced_OnBothPaths(string template, string expected)
    {
        foreach (var source in BothPaths(template))
        {
            Render(source, link: "javascript:alert(1)", scheme: "java", rest: "script:alert(1)").Should().Be(expected, source);
        }
    }

    [Theory]
    [InlineData("<a href=\"https://shop.example.com/pay?order={{values.link}}\">")]
    [InlineData("<a href=\"/pay/{{values.link}}\">")]
    [InlineData("<img src=\"data:image/png;base64,{{values.link}}\">")]
    [InlineData("<a title=\"{{values.link}}\" data-href=\"{{values.link}}\">")]
    [InlineData("<p>{{values.link}}</p><!-- <a href=\"{{values.link}}\"> -->")]
    public void ValueAfterTheTemplatesOwnScheme_OrInAnotherAttribute_IsOnlyEscaped(string template)
    {
        foreach (var source in BothPaths(template))
        {
            Render(source, link: "javascript:alert(1)").Should().Be(Handlebars.Create().Compile(template)(new { values = new { link = "javascript:alert(1)" } }), source);
        }
    }

    [Fact]
    public void PlainTextTemplates_AreNotHtml_AndAreLeftAlone() =>
        HandlebarsTemplateEngine.Default.Compile("<a href=\"{{values.link}}\">", TemplateFormat.PlainText, Shape).Render(Model("javascript:alert(1)"))
            .Should().Be("<a href=\"javascript:alert(1)\">");

    [Theory]
    [InlineData("&#106;avascript:alert(1)")]
    [InlineData("javascript&colon;alert(1)")]
    [InlineData("java&Tab;script:alert(1)")]
    public void RawHtml_WithEntitiesHidingTheScheme_IsReplaced(string link) =>
        HandlebarsTemplateEngine.Default.Compile("<a href=\"{{{values.link}}}\">", TemplateFormat.Html, Shape, allowRawHtml: true).Render(Model(link))
            .Should().Be("<a href=\"#\">");

    [Fact]
    public void Attribute_WhoseValueClosesAnOuterBlock_FailsAtBuild() =>
        HandlebarsTemplateEngine.Default.Invoking(e => e.Compile("{{#if values.link}}<a href=\"{{values.link}}{{/if}}\">", TemplateFormat.Html, Shape))
            .Should().Throw<TemplateException>()
            .WithMessage("the href attribute (line 1) opens or closes a block that does not end within its value, so its URL cannot be checked*");

    [Fact]
    public void TheS1Email_KeepsTheFastPath() =>
        HandlebarsTemplateEngine.Default.Compile("<a href=\"x{{values.link}}\">{{#each event.Items}}<img src=\"{{ImageUrl}}\">{{/each}}", TemplateFormat.Html, Shape)
            .Should().BeOfType<SubstitutionTemplate>();

    /// <summary>
    /// Random URLs, scriptable or not, in a link and an image: the attribute holds the replacement exactly when an
    /// independent reading of the URL finds a scriptable scheme, and otherwise what Handlebars.Net itself writes.
    /// </summary>
    [Fact]
    public void RandomUrls_AreReplacedExactlyWhenScriptable_OnBothPaths()
    {
        const string Template = "<a href=\"{{values.link}}\">x</a><img src='{{values.link}}'>";
        var plainHandlebars = Handlebars.Create().Compile(Template);
        var random = new Random(20260105);
        string[] schemes = ["javascript", "vbscript", "data", "https", "http", "mailto", "tel", "javascripts", "java", "script", ""];
        var replaced = 0;
        for (var i = 0; i < 300; i++)
        {
            var url = RandomUrl(random, schemes);
            var expected = IsScriptable(url)
                ? "<a href=\"#\">x</a><img src='about:blank'>"
                : plainHandlebars(new { values = new { link = url } });
            replaced += IsScriptable(url) ? 1 : 0;
            foreach (var source in BothPaths(Template))
            {
                Render(source, link: url).Should().Be(expected, $"'{url}' rendered by {source}");
            }
        }

        replaced.Should().BeInRange(60, 240, "the sample must hold both kinds");
    }

    /// <summary>The reference reading: tabs and line breaks removed, leading blanks and controls skipped, the scheme compared ignoring case.</summary>
    private static bool IsScriptable(string url) =>
        Regex.IsMatch(Regex.Replace(url, "[\t\n\r]", string.Empty), "^[\\x00-\\x20]*(javascript|vbscript|data):", RegexOptions.IgnoreCase);

    private static string RandomUrl(Random random, string[] schemes)
    {
        var url = new StringBuilder();
        url.Append(' ', random.Next(0, 2)).Append(random.Next(0, 4) == 0 ? "\u0001" : string.Empty);
        foreach (var c in schemes[random.Next(schemes.Length)])
        {
            url.Append(random.Next(0, 2) == 0 ? char.ToUpperInvariant(c) : c);
            if (random.Next(0, 12) == 0)
            {
                url.Append("\t\n\r"[random.Next(3)]);
            }
        }

        url.Append(random.Next(0, 8) == 0 ? string.Empty : ":");
        const string Rest = "abc/?#=<>\"'`xyz:() %é";
        for (var n = random.Next(0, 12); n > 0; n--)
        {
            url.Append(Rest[random.Next(Rest.Length)]);
        }

        return url.ToString();
    }

    private static IEnumerable<string> BothPaths(string template) => [template, template + "{{!-- Handlebars --}}"];

    private static string Render(string source, string link, string scheme = "", string rest = "") =>
        HandlebarsTemplateEngine.Default.Compile(source, TemplateFormat.Html, Shape).Render(Model(link, scheme, rest));

    private static TemplateModel Model(string link, string scheme = "", string rest = "") => new()
    {
        Event = Shop.Abandoned(),
        Customer = Shop.Alice,
        Now = Instant.FromUtc(2026, 1, 5, 9, 0),
        Values = new Dictionary<string, object?> { ["link"] = link, ["scheme"] = scheme, ["rest"] = rest },
        Journey = new TemplateJourney { Name = "j", Step = "s", InstanceId = "i", StartedAt = Instant.FromUtc(2026, 1, 5, 8, 0), Elapsed = Duration.FromHours(1) },
    };
}
