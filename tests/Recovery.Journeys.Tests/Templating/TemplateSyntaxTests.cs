using HandlebarsDotNet;
using NodaTime;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Templating;
using Recovery.Journeys.Tests.Fixtures;

namespace Recovery.Journeys.Tests;

/// <summary>
/// <c>Build()</c> no longer compiles the plain templates (text, field paths, <c>#each</c> blocks) with Handlebars: its
/// own syntax check must catch every mistake Handlebars' compile caught, and the fallback is compiled on the first
/// render that needs it.
/// </summary>
public sealed class TemplateSyntaxTests
{
    private static readonly TemplateModelShape Shape = new(typeof(CheckoutAbandoned), new HashSet<string> { "missing" });

    private static JourneyBuilder<CheckoutAbandoned> Checkout() =>
        Journey.When<CheckoutAbandoned>().Named("syntax").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer);

    public static TheoryData<string, string> SyntaxErrors => new()
    {
        { "{{#each event.Items}}{{Name}}", "unclosed #each" },
        { "{{#each event.Items}}{{Name}}{{/if}}", "#each closed by /if" },
        { "{{#if event.OrderId}}x", "unclosed #if" },
        { "{{#if event.OrderId}}x{{/each}}", "#if closed by /each" },
        { "x{{/each}}", "close without open" },
        { "{{#each event.Items}}{{#each event.Items}}{{Name}}{{/each}}", "one of two nested blocks unclosed" },
        { "Commande {{event.OrderId", "tag never closed" },
        { "Commande {{event.OrderId}", "tag closed by one brace" },
        { "<a href=\"{{event.OrderId\">x</a>", "tag never closed in a URL attribute" },
        { "<a href=\"{{event.OrderId}}\">{{#each event.Items}}x</a>", "unclosed block after a URL attribute" },
    };

    [Theory]
    [MemberData(nameof(SyntaxErrors))]
    public void SyntaxError_FailsAtBuild_NamingJourneyAndStep(string template, string what)
    {
        foreach (var build in new Func<object>[]
        {
            () => Checkout().Push("push", p => p.Body(template)).Build(),
            () => Checkout().Email("push", m => m.Subject("s").HtmlBody(template)).Build(),
        })
        {
            FluentActions.Invoking(build).Should().Throw<JourneyDefinitionException>(what)
                .WithMessage("Journey 'syntax', step 'push': the * template is invalid: syntax error*")
                .Which.StepId.Should().Be("push");
        }
    }

    [Theory]
    [InlineData("{{shout event.OrderId}}", "calls 'shout', which is not a registered helper")]
    [InlineData("{{#loop event.Items}}{{Name}}{{/loop}}", "opens 'loop', which is not a registered block helper")]
    [InlineData("{{event.OrderNumber}}", "has no")]
    [InlineData("{{#each event.Items}}{{Nom}}{{/each}}", "has no")]
    public void UnknownHelperOrField_FailsAtBuild_NamingJourneyAndStep(string template, string problem) =>
        FluentActions.Invoking(() => Checkout().Push("push", p => p.Body(template)).Build())
            .Should().Throw<JourneyDefinitionException>()
            .WithMessage($"Journey 'syntax', step 'push': the body template is invalid: *{problem}*");

    [Theory]
    [InlineData("Commande {{event.OrderId}}")]
    [InlineData("{{#each event.Items}}{{Name}}{{#each event.Items}}{{ Price }}{{/each}}{{/each}}")]
    [InlineData("{{ customer.name }} }{ \\\\ fin")]
    [InlineData("} {{event.OrderId}} fin \\")]
    [InlineData("{{#each\tevent.Items}}{{Name}}{{/each}}")]
    [InlineData("{{#each  event.Items \t}}{{ Name\t}}{{/each}}")]
    [InlineData("{{values.minutes_left}} {{_x.y1}}")]
    public void PlainTemplate_IsRecognised(string template)
    {
        TemplateSyntax.IsPlain(template, TemplateScanner.Scan(template)).Should().BeTrue();

        // And it is: Handlebars compiles it.
        FluentActions.Invoking(() => Handlebars.Create().Compile(template)).Should().NotThrow();
    }

    [Theory]
    [InlineData("{{~event.OrderId}}")]
    [InlineData("{{{event.OrderId}}}")]
    [InlineData("{{!-- note --}}")]
    [InlineData("{{#each event.Items}}{{else}}x{{/each}}")]
    [InlineData("{{#each  event.Items as |item|}}{{item.Name}}{{/each}}")]
    [InlineData("\\{{event.OrderId}}")]
    [InlineData("\\\\{{event.OrderId}}")]
    [InlineData("a }} b")]
    [InlineData("{{event..OrderId}}")]
    [InlineData("{{this.Name}}")]
    [InlineData("{{/each}}{{#each event.Items}}")]
    [InlineData("{{#each}}{{/each}}")]
    [InlineData("{{#eachevent.Items}}{{/each}}")]
    [InlineData("{{#each event.Items}}{{/if}}")]
    [InlineData("{{event.Order-Id}}")]
    [InlineData("{{1st.name}}")]
    public void TemplateWithAnythingElse_IsLeftToHandlebars(string template) =>
        TemplateSyntax.IsPlain(template, TemplateScanner.Scan(template)).Should().BeFalse();

    /// <summary>Random strings of template fragments, broken or not: every one the check calls plain, Handlebars compiles.</summary>
    [Fact]
    public void RandomTemplates_ThatTheCheckCallsPlain_HandlebarsCompiles()
    {
        string[] fragments =
        [
            "{{", "}}", "{", "}", "{{{", "}}}", "event.OrderId", "Name", ".", " ", "\\", "~", "#each event.Items", "/each",
            "/if", "#if event.OrderId", "{{event.OrderId}}", "{{#each event.Items}}", "{{/each}}", "{{Name}}", "a", "!", "\"", "else", "\n",
        ];
        var random = new Random(20261201);
        var handlebars = Handlebars.Create();
        var plain = 0;
        var refused = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var template = string.Concat(Enumerable.Range(0, random.Next(1, 9)).Select(_ => fragments[random.Next(fragments.Length)]));
            if (!TemplateSyntax.IsPlain(template, TemplateScanner.Scan(template)))
            {
                continue;
            }

            plain++;
            try
            {
                handlebars.Compile(template);
            }
            catch (HandlebarsException e)
            {
                refused++;
                e.Message.Should().BeNull($"'{template}' is plain, so Handlebars must compile it");
            }
        }

        refused.Should().Be(0);
        plain.Should().BeGreaterThan(2_000, "the fragments make plain templates often");
    }

    [Fact]
    public void PlainTemplate_IsCompiledByHandlebars_OnlyWhenARenderNeedsIt()
    {
        var source = "<a href=\"{{values.missing}}\">{{event.OrderId}}</a>";
        var template = (SubstitutionTemplate)HandlebarsTemplateEngine.Default.Compile(source, TemplateFormat.Html, Shape);
        var fallback = (HandlebarsTemplateEngine.CompiledTemplate)template.Fallback;
        fallback.IsCompiled.Should().BeFalse("Build() checks the syntax without compiling");

        template.Render(Model(new Dictionary<string, object?> { ["missing"] = "https://shop.example.com" }))
            .Should().Be("<a href=\"https://shop.example.com\">o-1</a>");
        fallback.IsCompiled.Should().BeFalse("the fast path rendered every value");

        template.Render(Model(new Dictionary<string, object?> { ["missing"] = 4.5m }))
            .Should().Be("<a href=\"4.5\">o-1</a>", "Handlebars writes a decimal");
        fallback.IsCompiled.Should().BeTrue();
    }

    [Fact]
    public void PlainTemplate_RenderedByHandlebarsOnManyThreadsAtOnce_WritesTheSameText()
    {
        var source = "<a href=\"{{values.missing}}\">{{event.OrderId}}</a>{{#each event.Items}}<img src=\"{{ImageUrl}}\">{{/each}}";
        var template = HandlebarsTemplateEngine.Default.Compile(source, TemplateFormat.Html, Shape);
        var model = Model([]);
        var texts = new string[64];

        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => texts[i] = template.Render(model));

        texts.Distinct().Should().Equal("<a href=\"\">o-1</a><img src=\"https://cdn.example.com/sneakers.jpg\">");
    }

    [Fact]
    public void HtmlTemplateWithAHelperInAUrlAttribute_IsCompiledOnce_WithItsGuard()
    {
        var template = HandlebarsTemplateEngine.Default.Compile("<a href=\"{{lookup values \"missing\"}}\">x</a>", TemplateFormat.Html, Shape);

        template.Should().BeOfType<HandlebarsTemplateEngine.CompiledTemplate>().Which.IsCompiled.Should().BeTrue();
        template.Render(Model(new Dictionary<string, object?> { ["missing"] = "javascript:alert(1)" })).Should().Be("<a href=\"#\">x</a>");
    }

    private static TemplateModel Model(Dictionary<string, object?> values) => new()
    {
        Event = Shop.Abandoned("o-1"),
        Customer = Shop.Alice,
        Now = Instant.FromUtc(2026, 1, 5, 10, 0),
        Values = values,
        Journey = new TemplateJourney { Name = "t", Step = "s", InstanceId = "i", StartedAt = Instant.FromUtc(2026, 1, 5, 9, 0), Elapsed = Duration.Zero },
    };
}
