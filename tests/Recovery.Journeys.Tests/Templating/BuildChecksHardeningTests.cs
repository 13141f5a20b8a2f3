using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Templating;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;

namespace Recovery.Journeys.Tests;

/// <summary>Mistakes that used to pass <c>Build()</c> and fail or misbehave at every send.</summary>
public sealed class BuildChecksHardeningTests
{
    private static JourneyBuilder<CheckoutAbandoned> Checkout() =>
        Journey.When<CheckoutAbandoned>().Named("hardened").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer);

    [Fact]
    public void Partial_ThatIsNotDefined_FailsAtBuild_NamingJourneyStepAndField() =>
        FluentActions.Invoking(() => Checkout().Push("push", p => p.Body("Bonjour {{> evil}}")).Build())
            .Should().Throw<JourneyDefinitionException>()
            .WithMessage("Journey 'hardened', step 'push': the body template is invalid: '{{> evil}}' (line 1) includes the partial 'evil', which is not defined*");

    [Fact]
    public void PartialBlock_ThatIsNotDefined_FailsAtBuild() =>
        FluentActions.Invoking(() => Checkout().Sms("sms", s => s.Text("{{#> layout}}x{{/layout}}")).Build())
            .Should().Throw<JourneyDefinitionException>().WithMessage("*includes the partial 'layout', which is not defined*");

    [Fact]
    public void TripleStash_InAnEmailHtmlBody_FailsAtBuild_NamingJourneyStepAndField() =>
        FluentActions.Invoking(() => Checkout().Email("mail", m => m.Subject("s").HtmlBody("<p>{{{customer.name}}}</p>")).Build())
            .Should().Throw<JourneyDefinitionException>()
            .WithMessage("Journey 'hardened', step 'mail': the HTML body template is invalid: '{{{customer.name}}}' (line 1) writes the value as raw HTML*AllowRawHtml()*");

    [Fact]
    public void Partial_WhoseNameIsOnlyKnownWhenRendering_FailsAtBuild() =>
        FluentActions.Invoking(() => Checkout().Sms("sms", s => s.Text("{{> (lookup event \"OrderId\")}}")).Build())
            .Should().Throw<JourneyDefinitionException>().WithMessage("*includes a partial whose name is only known when rendering, which Build() cannot check*");

    [Fact]
    public async Task Partial_DefinedInTheTemplate_IsAcceptedAndRendered()
    {
        using var harness = new JourneyTestHarness(Checkout()
            .Sms(s => s.Text("{{#*inline \"item\"}}[{{Name}}]{{/inline}}{{#each event.Items}}{{> item}}{{/each}}"))
            .Build());

        await harness.PublishAsync(Shop.Abandoned());

        harness.SentOf<SmsMessage>().Single().Message.Text.Should().Be("[Sneakers]");
    }

    [Fact]
    public async Task TripleStash_InAnEmailHtmlBody_WithAllowRawHtml_WritesTheValueAsIs()
    {
        using var harness = new JourneyTestHarness(Checkout()
            .Email(m => m.Subject("s").HtmlBody("<p>{{customer.name}}</p>{{{customer.name}}}").AllowRawHtml())
            .Build());

        await harness.PublishAsync(Shop.Abandoned(customer: Shop.Alice with { Name = "<b>Alice</b>" }));

        harness.SentOf<EmailMessage>().Single().Message.HtmlBody.Should().Be("<p>&lt;b&gt;Alice&lt;/b&gt;</p><b>Alice</b>");
    }

    [Fact]
    public void AllowRawHtml_AppliesToTheMessageOrTheVariantItIsCalledOn()
    {
        FluentActions.Invoking(() => Checkout()
                .Email("mail", m => m.Subject("s").HtmlBody("{{{customer.name}}}").AllowRawHtml().Localized("en", en => en.Subject("s").HtmlBody("{{{customer.name}}}")))
                .Build())
            .Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'hardened', step 'mail': the HTML body (en variant) template is invalid: '{{{customer.name}}}'*");
        FluentActions.Invoking(() => Checkout()
                .Email("mail", m => m.Subject("s").HtmlBody("{{{customer.name}}}").AllowRawHtml().Localized("en", en => en.Subject("s").HtmlBody("{{{customer.name}}}").AllowRawHtml()))
                .Build())
            .Should().NotThrow();
    }

    [Fact]
    public void EveryProblem_IsListedAtOnce()
    {
        var error = FluentActions.Invoking(() => Checkout().Email("mail", m => m.Subject("s").HtmlBody("{{> evil}}{{{customer.name}}}{{event.Nope}}{{* deco}}")).Build())
            .Should().Throw<JourneyDefinitionException>().Which;

        error.Message.Should().Contain("'evil'").And.Contain("raw HTML").And.Contain("CheckoutAbandoned has no field 'Nope'").And.Contain("calls the decorator 'deco', which is not registered");
    }

    [Theory]
    [InlineData("javascript:alert(document.cookie)")]
    [InlineData("JavaScript:alert(1)")]
    [InlineData("  \t javascript:alert(1)")]
    [InlineData("java\tscript:alert(1)")]
    [InlineData("vbscript:msgbox(1)")]
    [InlineData("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")]
    public async Task ScriptableUrl_FromTheModel_InHrefOrSrc_IsReplaced(string url)
    {
        using var harness = new JourneyTestHarness(Checkout()
            .Email(m => m.Subject("s").HtmlBody("<a href=\"{{event.OrderId}}\">payer</a><img src=\"{{customer.name}}\">{{#each event.Items}}<img src='{{ImageUrl}}'>{{/each}}"))
            .Build());

        await harness.PublishAsync(Shop.Abandoned(url, customer: Shop.Alice with { Name = url }) with { Items = [new CartItem("x", 1m, url)] });

        harness.SentOf<EmailMessage>().Single().Message.HtmlBody.Should().Be("<a href=\"#\">payer</a><img src=\"about:blank\"><img src='about:blank'>");
    }
}
