using System.Globalization;
using HandlebarsDotNet;
using NodaTime;
using Recovery.Journeys.Templating;
using Recovery.Journeys.Tests.Fixtures;

namespace Recovery.Journeys.Tests.Templating;

/// <summary>
/// What a new <see cref="HandlebarsTemplateEngine"/> sets up and what its <c>Compile</c> checks: its arguments, the
/// helper names it refuses, the invariant culture of values Handlebars writes, the URL check of HTML templates only,
/// and which templates Handlebars compiles when the journey is built. Each test builds its own engine (the shared
/// <see cref="HandlebarsTemplateEngine.Default"/> is built once per process); expected texts are written out by hand.
/// </summary>
public sealed class EngineSetUpTests
{
    private static readonly TemplateModelShape Shape = new(typeof(CheckoutAbandoned), new HashSet<string> { "price", "link", "count" });

    [Fact]
    public void Create_WithoutOptions_IsRefused() =>
        FluentActions.Invoking(() => new HandlebarsTemplateEngine(null!)).Should().Throw<ArgumentNullException>().WithParameterName("options");

    [Fact]
    public void Compile_WithoutSourceOrShape_IsRefused()
    {
        var engine = new HandlebarsTemplateEngine();

        engine.Invoking(e => e.Compile(null!, TemplateFormat.PlainText, Shape)).Should().Throw<ArgumentNullException>().WithParameterName("source");
        engine.Invoking(e => e.Compile("x", TemplateFormat.PlainText, null!)).Should().Throw<ArgumentNullException>().WithParameterName("shape");
    }

    [Fact]
    public void Create_AHelperNamedAfterTheUrlCheck_OrABlockHelperNamedAfterABuiltIn_IsRefused()
    {
        var guard = new HandlebarsTemplateOptions();
        guard.Helpers["_recoveryJourneysUrlAttribute"] = (_, _) => "x";
        var block = new HandlebarsTemplateOptions();
        block.BlockHelpers["date"] = (_, _, _, _) => { };
        var twice = new HandlebarsTemplateOptions();
        twice.ModelHelpers["shout"] = (_, _) => "x";
        twice.BlockHelpers["shout"] = (_, _, _, _) => { };

        FluentActions.Invoking(() => new HandlebarsTemplateEngine(guard)).Should().Throw<ArgumentException>()
            .WithMessage("'_recoveryJourneysUrlAttribute' is a built-in helper; give your helper another name.*").WithParameterName("options");
        FluentActions.Invoking(() => new HandlebarsTemplateEngine(block)).Should().Throw<ArgumentException>()
            .WithMessage("'date' is a built-in helper; give your helper another name.*");
        FluentActions.Invoking(() => new HandlebarsTemplateEngine(twice)).Should().Throw<ArgumentException>()
            .WithMessage("'shout' is registered twice; a helper name is either a helper, a model helper or a block helper.*").WithParameterName("options");
    }

    [Fact]
    public void Create_OneHelperOfEachKind_RegistersThemAll()
    {
        var options = new HandlebarsTemplateOptions();
        options.Helpers["upper"] = (Context _, Arguments args) => args[0]?.ToString()?.ToUpperInvariant();
        options.ModelHelpers["step"] = (model, _) => model.Journey.Step;
        options.BlockHelpers["twice"] = (output, block, context, _) =>
        {
            block.Template(output, context);
            block.Template(output, context);
        };

        var engine = new HandlebarsTemplateEngine(options);

        // With a built-in helper beside them (one with an argument: without one, Handlebars would read a field of that name).
        engine.Compile("{{upper customer.name}} {{step}} {{#twice}}ab{{/twice}} {{number values.count}}", TemplateFormat.PlainText, Shape).Render(Model())
            .Should().Be("ALICE push-1 abab 15");
    }

    [Fact]
    public void Render_ADecimalWrittenByHandlebars_UsesTheInvariantCulture_WhateverTheThreadsCulture()
    {
        var engine = new HandlebarsTemplateEngine();
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
        try
        {
            // A decimal goes to Handlebars on the fast path's templates too, and an #if block sends the whole template there.
            engine.Compile("{{values.price}}", TemplateFormat.PlainText, Shape).Render(Model()).Should().Be("49.90");
            engine.Compile("{{#if values.price}}{{values.price}}{{/if}}", TemplateFormat.Html, Shape).Render(Model()).Should().Be("49.90");
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Render_AScriptableUrlInAnAttribute_IsReplacedInHtml_AndWrittenAsItIsInPlainText()
    {
        var engine = new HandlebarsTemplateEngine();
        var model = Model(link: "javascript:alert(1)");

        foreach (var source in new[] { "<a href=\"{{values.link}}\">x</a>", "{{#if values.link}}<a href=\"{{values.link}}\">x</a>{{/if}}" })
        {
            engine.Compile(source, TemplateFormat.Html, Shape).Render(model).Should().Be("<a href=\"#\">x</a>", source);
            engine.Compile(source, TemplateFormat.PlainText, Shape).Render(model).Should().Be("<a href=\"javascript:alert(1)\">x</a>", source);
        }
    }

    [Fact]
    public void Compile_ATemplateThatIsNotPlain_IsCompiledByHandlebarsRightAway_APlainOneIsNot()
    {
        var engine = new HandlebarsTemplateEngine();

        var withIf = engine.Compile("{{#if customer.name}}{{customer.name}}{{/if}}", TemplateFormat.PlainText, Shape);
        var plain = engine.Compile("{{customer.name}}", TemplateFormat.PlainText, Shape);

        withIf.Should().BeOfType<HandlebarsTemplateEngine.CompiledTemplate>().Which.IsCompiled.Should().BeTrue();
        plain.Should().BeOfType<SubstitutionTemplate>().Which.Fallback.Should().BeOfType<HandlebarsTemplateEngine.CompiledTemplate>()
            .Which.IsCompiled.Should().BeFalse();
    }

    [Fact]
    public void Compile_ASyntaxErrorInAnHtmlTemplateWithAUrlAttribute_ReportsTheTemplateAsWritten()
    {
        // The render uses the template with its URL attributes wrapped in a check; an error must not show that wrapping.
        FluentActions.Invoking(() => new HandlebarsTemplateEngine().Compile("<a href=\"{{values.link}}\">{{#if values.link}}x</a>", TemplateFormat.Html, Shape))
            .Should().Throw<TemplateException>().WithMessage("syntax error: *").Which.Message.Should().NotContain("_recoveryJourneysUrlAttribute");
    }

    [Fact]
    public void ModelOf_InABlockHelperOfAnotherHandlebarsInstance_IsRefused()
    {
        var handlebars = Handlebars.Create();
        handlebars.RegisterHelper("model", (output, block, _, _) => output.Write(HandlebarsTemplateEngine.ModelOf(block).Channel));
        var template = handlebars.Compile("{{#model}}{{/model}}");

        FluentActions.Invoking(() => template(new { Channel = "sms" })).Should().Throw<InvalidOperationException>()
            .WithMessage("Recovery.Journeys template helpers run only in templates rendered by HandlebarsTemplateEngine.");
    }

    private static TemplateModel Model(string link = "https://shop.example.com") => new()
    {
        Event = Shop.Abandoned(),
        Customer = Shop.Alice,
        Now = Instant.FromUtc(2026, 1, 5, 10, 0),
        Values = new Dictionary<string, object?> { ["price"] = 49.90m, ["link"] = link, ["count"] = 15 },
        Journey = TemplateJourneys.Push1After65Minutes(),
    };
}
