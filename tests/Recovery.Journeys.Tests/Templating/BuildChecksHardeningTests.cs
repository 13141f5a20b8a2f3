using Recovery.Journeys.Channels;
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
