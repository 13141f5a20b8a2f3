using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NodaTime;
using Recovery.Journeys.Benchmarks.Shared;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Benchmarks.Templates;

/// <summary>
/// Renders the S1 push (deep link and body) and the S1 e-mail (subject and HTML body with the basket) per send, with
/// the templates compiled once as <c>Build()</c> does, against the floor: the same texts written by hand with string
/// interpolation from the same event and values. The template model is built once (the engine builds one per send;
/// the scale run measures that).
/// </summary>
/// <remarks>
/// <c>*Template</c> is what a journey renders with: <see cref="HandlebarsTemplateEngine"/>, which takes its fast path
/// for these templates. <c>*HandlebarsNet</c> is the same templates rendered by Handlebars.Net itself (the source
/// ends with an empty comment, which the fast path leaves to Handlebars), as every template was before the fast path.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class TemplateBenchmarks
{
    private ICompiledTemplate _pushDeepLink = null!;
    private ICompiledTemplate _pushBody = null!;
    private ICompiledTemplate _emailSubject = null!;
    private ICompiledTemplate _emailHtmlBody = null!;
    private ICompiledTemplate _pushDeepLinkHandlebars = null!;
    private ICompiledTemplate _pushBodyHandlebars = null!;
    private ICompiledTemplate _emailSubjectHandlebars = null!;
    private ICompiledTemplate _emailHtmlBodyHandlebars = null!;
    private TemplateModel _model = null!;
    private Checkout _checkout = null!;

    [GlobalSetup]
    public void SetUp()
    {
        var engine = HandlebarsTemplateEngine.Default;
        var shape = new TemplateModelShape(typeof(Checkout), ["minutesLeft"]);
        _pushDeepLink = engine.Compile(CheckoutJourney.PushDeepLink, TemplateFormat.PlainText, shape);
        _pushBody = engine.Compile(CheckoutJourney.PushBody, TemplateFormat.PlainText, shape);
        _emailSubject = engine.Compile(CheckoutJourney.EmailSubject, TemplateFormat.PlainText, shape);
        _emailHtmlBody = engine.Compile(CheckoutJourney.EmailHtmlBody, TemplateFormat.Html, shape);
        const string HandlebarsOnly = "{{!-- Handlebars.Net --}}";
        _pushDeepLinkHandlebars = engine.Compile(CheckoutJourney.PushDeepLink + HandlebarsOnly, TemplateFormat.PlainText, shape);
        _pushBodyHandlebars = engine.Compile(CheckoutJourney.PushBody + HandlebarsOnly, TemplateFormat.PlainText, shape);
        _emailSubjectHandlebars = engine.Compile(CheckoutJourney.EmailSubject + HandlebarsOnly, TemplateFormat.PlainText, shape);
        _emailHtmlBodyHandlebars = engine.Compile(CheckoutJourney.EmailHtmlBody + HandlebarsOnly, TemplateFormat.Html, shape);
        var customers = CheckoutJourney.Customers();
        _checkout = CheckoutJourney.NewCheckout(42, customers);
        var startedAt = Instant.FromUtc(2026, 1, 5, 9, 0);
        _model = new TemplateModel
        {
            Event = _checkout,
            Customer = _checkout.Customer,
            Journey = new TemplateJourney { Name = "checkout-recovery", Step = "push-reminder", InstanceId = Guid.NewGuid().ToString("N"), StartedAt = startedAt, Elapsed = Duration.FromMinutes(5) },
            Now = startedAt + Duration.FromMinutes(5),
            Values = new Dictionary<string, object?> { ["minutesLeft"] = 15 },
            Culture = CultureInfo.GetCultureInfo("fr-FR"),
            Channel = "push",
        };

        // Same output, or the comparison means nothing.
        if (PushTemplate() != PushFloor() || EmailTemplate() != EmailFloor() || PushHandlebarsNet() != PushFloor() || EmailHandlebarsNet() != EmailFloor())
        {
            throw new InvalidOperationException($"The floor renders other texts:\n{PushTemplate()}\n{PushFloor()}\n{EmailTemplate()}\n{EmailFloor()}");
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("push")]
    public (string DeepLink, string Body) PushFloor() =>
        ($"myshop://pay?order={_checkout.OrderId}",
         string.Create(CultureInfo.InvariantCulture, $"Votre commande n'est pas payée. Il ne vous reste que {_model.Values["minutesLeft"]} minutes pour profiter de la remise !"));

    [Benchmark, BenchmarkCategory("push")]
    public (string DeepLink, string Body) PushTemplate() => (_pushDeepLink.Render(_model), _pushBody.Render(_model));

    [Benchmark, BenchmarkCategory("push")]
    public (string DeepLink, string Body) PushHandlebarsNet() => (_pushDeepLinkHandlebars.Render(_model), _pushBodyHandlebars.Render(_model));

    [Benchmark(Baseline = true), BenchmarkCategory("email")]
    public (string Subject, string HtmlBody) EmailFloor()
    {
        var html = new StringBuilder(256);
        html.Append($"<p>Bonjour {_checkout.Customer.Name},</p>");
        foreach (var item in _checkout.Items)
        {
            html.Append($"<img src=\"{item.ImageUrl}\" alt=\"{item.Name}\">");
        }

        return ("Offre à durée limitée bientôt expirée ! Finalisez votre commande maintenant", html.ToString());
    }

    [Benchmark, BenchmarkCategory("email")]
    public (string Subject, string HtmlBody) EmailTemplate() => (_emailSubject.Render(_model), _emailHtmlBody.Render(_model));

    [Benchmark, BenchmarkCategory("email")]
    public (string Subject, string HtmlBody) EmailHandlebarsNet() => (_emailSubjectHandlebars.Render(_model), _emailHtmlBodyHandlebars.Render(_model));
}
