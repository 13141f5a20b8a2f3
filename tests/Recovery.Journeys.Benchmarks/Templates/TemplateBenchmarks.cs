using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NodaTime;
using Recovery.Journeys.Benchmarks.Shared;
using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Benchmarks.Templates;

/// <summary>
/// Renders the S1 push (deep link and body) and the S1 e-mail (subject and HTML body with the basket) per send, with
/// the templates compiled once as <c>Build()</c> does, against the floor: the same texts written by hand with string
/// interpolation from the same event and values. The template model is built once (the engine builds one per send;
/// the scale run measures that).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class TemplateBenchmarks
{
    private ICompiledTemplate _pushDeepLink = null!;
    private ICompiledTemplate _pushBody = null!;
    private ICompiledTemplate _emailSubject = null!;
    private ICompiledTemplate _emailHtmlBody = null!;
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
        if (PushHandlebars() != PushFloor() || EmailHandlebars() != EmailFloor())
        {
            throw new InvalidOperationException($"The floor renders other texts:\n{PushHandlebars()}\n{PushFloor()}\n{EmailHandlebars()}\n{EmailFloor()}");
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("push")]
    public (string DeepLink, string Body) PushFloor() =>
        ($"myshop://pay?order={_checkout.OrderId}",
         string.Create(CultureInfo.InvariantCulture, $"Votre commande n'est pas payée. Il ne vous reste que {_model.Values["minutesLeft"]} minutes pour profiter de la remise !"));

    [Benchmark, BenchmarkCategory("push")]
    public (string DeepLink, string Body) PushHandlebars() => (_pushDeepLink.Render(_model), _pushBody.Render(_model));

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
    public (string Subject, string HtmlBody) EmailHandlebars() => (_emailSubject.Render(_model), _emailHtmlBody.Render(_model));
}
