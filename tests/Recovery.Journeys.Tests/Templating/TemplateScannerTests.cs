using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Tests;

public sealed class TemplateScannerTests
{
    public static TheoryData<string> Sources =>
    [
        "",
        "Votre commande vous attend.",
        "<p>Bonjour {{customer.name}},</p>{{#each event.Items}}<img src=\"{{ImageUrl}}\" alt=\"{{Name}}\">{{/each}}",
        "{{#each event.Items as |item i|}}{{i}}:{{item.Name}}{{else}}vide{{/each}}",
        "{{!-- {{nope}} --}}{{! short }}{{~customer.name~}}{{{content.banner}}}",
        "{{#*inline \"row\"}}<td>{{Name}}</td>{{/inline}}{{> row}}{{#> layout}}x{{/layout}}",
        "Accolades } et { seules, \\{{not a tag}} et \\\\{{event.OrderId}}",
        "{{money (discounted event.Total 0.6) \"EUR\"}} {{lookup . \"a}}b\"}}",
        "Articles :\n{{#each event.Items}}\n- {{Name}}\n{{/each}}\nFin",
        "{{^customer.phone}}pas de téléphone{{/customer.phone}}{{#if a}}x{{^}}y{{/if}}",
        "unclosed {{event.OrderId",
    ];

    [Theory]
    [MemberData(nameof(Sources))]
    public void Scan_CoversTheSourceEndToEnd_InOrder(string source)
    {
        var tokens = TemplateScanner.Scan(source);

        var position = 0;
        foreach (var token in tokens)
        {
            token.Start.Should().Be(position);
            token.End.Should().BeGreaterThan(token.Start);
            position = token.End;
        }

        position.Should().Be(source.Length);
    }

    [Theory]
    [InlineData("a{{b}}c", "Text Value Text")]
    [InlineData("{{{b}}}", "RawValue")]
    [InlineData("{{#if a}}{{else}}{{/if}}", "Block Else Close")]
    [InlineData("{{#if a}}{{else if b}}{{^}}{{/if}}", "Block Else Else Close")]
    [InlineData("{{^a}}x{{/a}}", "Block Text Close")]
    [InlineData("{{! c }}{{!-- {{x}} --}}", "Comment Comment")]
    [InlineData("{{> p}}{{#> p}}{{/p}}", "Partial PartialBlock Close")]
    [InlineData("{{#*inline \"p\"}}{{/inline}}{{* deco}}{{#* deco}}{{/deco}}", "InlinePartial Close Decorator Decorator Close")]
    [InlineData("{{{{raw}}}}", "RawBlock")]
    [InlineData("\\{{a}} b", "Text")]
    [InlineData("\\\\{{a}}", "Text Value")]
    public void Scan_ReadsEachKindOfTag(string source, string kinds) =>
        string.Join(' ', TemplateScanner.Scan(source).Select(t => t.Kind)).Should().Be(kinds);

    [Fact]
    public void Scan_ReadsTheExpressionOfATag()
    {
        var tokens = TemplateScanner.Scan("{{money (discounted event.Total 0.6) \"EUR\"}}{{#each event.Items as |item i|}}{{/each}}{{lookup . \"a}}b\"}}");

        tokens[0].Expression.Words.Should().Equal("money", "(discounted event.Total 0.6)", "\"EUR\"");
        tokens[1].Expression.Words.Should().Equal("each", "event.Items");
        tokens[1].Expression.BlockParams.Should().Equal("item", "i");
        tokens[1].OpensBlock.Should().BeTrue();
        tokens[3].Expression.Words.Should().Equal("lookup", ".", "\"a}}b\"");
        tokens[3].Display.Should().Be("{{lookup . \"a}}b\"}}");
    }

    [Fact]
    public void Scan_MarksEscapesWhitespaceControlStandaloneTagsAndLines()
    {
        var tokens = TemplateScanner.Scan("\\{{x}} a\n  {{#each event.Items}}  \n{{~Name}} {{^x}}{{/x}}");

        tokens[0].HasEscapedTag.Should().BeTrue();
        tokens[1].Should().Match<TemplateToken>(t => t.Kind == TemplateTokenKind.Block && t.StandsAlone && t.Line == 2);
        tokens[3].Should().Match<TemplateToken>(t => t.TrimsWhitespace && !t.StandsAlone && t.Line == 3 && t.Display == "{{Name}}");
        tokens[5].IsInverted.Should().BeTrue();
    }
}
