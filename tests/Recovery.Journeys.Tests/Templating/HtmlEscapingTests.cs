using NodaTime;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Templating;
using Recovery.Journeys.Tests.Fixtures;

namespace Recovery.Journeys.Tests.Templating;

/// <summary>
/// Values are HTML-escaped in HTML templates only, on the fast path and through Handlebars alike. The expected texts
/// are written out by hand from the documented rule: <c>&lt; &gt; &amp; " ' ` =</c> become entities, the template's
/// own markup stays as it is.
/// </summary>
public sealed class HtmlEscapingTests
{
    private const string Name = "<b>'Eve'</b> & \"Co\" `x`=1";
    private const string Escaped = "&lt;b&gt;&#x27;Eve&#x27;&lt;/b&gt; &amp; &quot;Co&quot; &#x60;x&#x60;&#x3D;1";
    private static readonly TemplateModelShape Shape = new(typeof(CheckoutAbandoned), new HashSet<string> { "note", "count" });

    public static TheoryData<string, string, string> Templates => new()
    {
        // The fast path: text and field paths.
        { "<p>Bonjour {{customer.name}}</p>", $"<p>Bonjour {Escaped}</p>", $"<p>Bonjour {Name}</p>" },
        { "{{values.note}}|{{values.count}}", $"{Escaped}|3", $"{Name}|3" },
        { "{{#each event.Items}}<i>{{Name}}</i>{{/each}}", $"<i>{Escaped}</i>", $"<i>{Name}</i>" },

        // Through Handlebars: a block helper sends the template there.
        { "{{#if customer.name}}<p>{{customer.name}}</p>{{/if}}", $"<p>{Escaped}</p>", $"<p>{Name}</p>" },
    };

    [Theory]
    [MemberData(nameof(Templates))]
    public void Render_EscapesValuesInHtml_AndWritesThemAsTheyAreInPlainText(string source, string html, string plainText)
    {
        // A new engine, not the shared Default built once per process: its set-up is part of what is checked.
        var engine = new HandlebarsTemplateEngine();

        engine.Compile(source, TemplateFormat.Html, Shape).Render(Model()).Should().Be(html);
        engine.Compile(source, TemplateFormat.PlainText, Shape).Render(Model()).Should().Be(plainText);
    }

    [Fact]
    public void Render_TripleBraces_WhenTheTemplateAllowsRawHtml_WriteTrustedHtmlUnescaped()
    {
        new HandlebarsTemplateEngine().Compile("<div>{{{values.note}}}</div>", TemplateFormat.Html, Shape, allowRawHtml: true).Render(Model()).Should().Be($"<div>{Name}</div>");
    }

    [Fact]
    public void Compile_TripleBraces_InAnHtmlTemplateThatDoesNotAllowRawHtml_IsRefused()
    {
        FluentActions.Invoking(() => new HandlebarsTemplateEngine().Compile("<div>{{{values.note}}}</div>", TemplateFormat.Html, Shape))
            .Should().Throw<TemplateException>().WithMessage("*writes the value as raw HTML*AllowRawHtml()*");
    }

    [Fact]
    public void Compile_AHelperOfTheSameNameAsABuiltIn_IsRefused()
    {
        var options = new HandlebarsTemplateOptions();
        options.Helpers["money"] = (_, _) => "?";

        FluentActions.Invoking(() => new HandlebarsTemplateEngine(options)).Should().Throw<ArgumentException>()
            .WithMessage("'money' is a built-in helper; give your helper another name.*");
    }

    private static TemplateModel Model()
    {
        var abandoned = Shop.Abandoned(customer: Shop.Alice with { Name = Name }) with { Items = [new CartItem(Name, 1m, "https://cdn.example.com/a.jpg")] };
        return new TemplateModel
        {
            Event = abandoned,
            Customer = abandoned.Customer,
            Now = Instant.FromUtc(2026, 1, 5, 10, 0),
            Values = new Dictionary<string, object?> { ["note"] = Name, ["count"] = 3 },
            Journey = new TemplateJourney { Name = "t", Step = "email-1", InstanceId = "0123456789abcdef0123456789abcdef", StartedAt = Instant.FromUtc(2026, 1, 5, 9, 0), Elapsed = Duration.FromMinutes(60) },
        };
    }
}
