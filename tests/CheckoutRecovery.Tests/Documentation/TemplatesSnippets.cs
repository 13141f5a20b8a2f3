using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Recovery.Journeys;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Templating;
using Recovery.Journeys.Time;

namespace CheckoutRecovery.Tests.Documentation;

/// <summary>
/// The code of docs/templates.md, compiled: each <c>// begin-snippet</c> region is a block of the page, word for word
/// (<see cref="Snippets.SnippetRegionsTests"/>); <see cref="TemplatesSnippetsTests"/> runs the snippets and renders
/// the page's example tables.
/// </summary>
public static class TemplatesSnippets
{
    // ## The template model
    // begin-snippet: templates-every-field
    public static JourneyDefinition EveryField() =>
        Journey.When<CheckoutAbandoned>()
            .Named("checkout-recovery")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            // begin-snippet: templates-culture-and-zone
            .DefaultCulture("fr-FR")
            .DefaultTimeZone("Europe/Paris")
            // end-snippet
            .Compute("offerEndsAt", c => c.StartedAt + 20.Minutes())
            .Fetch<StockLevel>("stock")
            .AfterStart(5.Minutes()).Email("email-reminder", m => m
                .Subject("{{customer.name}}, votre commande {{event.OrderId}} vous attend")
                .TextBody("""
                    {{#each event.Items}}
                    - {{Name}} : {{money Price "EUR"}}
                    {{/each}}
                    Plus que {{content.stock.Left}} « {{content.stock.Product}} » en stock.
                    Offre valable jusqu'à {{time values.offerEndsAt}}, encore {{timeLeft values.offerEndsAt}}.
                    ({{journey.name}}/{{journey.step}} sur {{channel}}, envoyé à {{now}})
                    """))
            .Build();
    // end-snippet

    // ## HTML escaping: trusted HTML from your own CMS
    // begin-snippet: templates-trusted-banner
    public static JourneyDefinition WithTrustedBanner() =>
        Journey.When<CheckoutAbandoned>()
            .Named("trusted-banner")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .Fetch("banner")
            .Email(m => m
                .Subject("Votre panier vous attend")
                .HtmlBody("{{{content.banner}}}<p>Bonjour {{customer.name}}</p>")
                .AllowRawHtml())
            .Build();
    // end-snippet

    // ## Built-in helpers
    // begin-snippet: templates-with-helpers
    public static JourneyDefinition WithHelpers() =>
        Journey.When<CheckoutAbandoned>()
            .Named("checkout-recovery")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .DefaultCulture("fr-FR")
            .DefaultTimeZone("Europe/Paris")
            .Compute("offerEndsAt", c => c.StartedAt + 20.Minutes())
            .Compute("paymentUrl", c => $"https://shop.example.com/pay?order={Uri.EscapeDataString(c.Event.OrderId)}")
            .AfterStart(5.Minutes()).Push("push-reminder", p => p
                .Body("Il ne vous reste que {{timeLeft values.offerEndsAt}} pour payer {{money (discounted event.Total 0.6) \"EUR\"}} au lieu de {{money event.Total \"EUR\"}} ({{percent 0.6}} de remise jusqu'à {{time values.offerEndsAt}}).")
                .DeepLink("{{trackedLink values.paymentUrl}}"))
            .Build();
    // end-snippet

    // ### unsubscribeUrl
    public static JourneyDefinition WithUnsubscribeLink() =>
        Journey.When<CheckoutAbandoned>()
            .Named("checkout-recovery")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .Email("email-reminder", m => m
                .Subject("Votre panier vous attend")
                // begin-snippet: templates-unsubscribe-bodies
                .HtmlBody("<p>Votre panier vous attend.</p><p><a href=\"{{unsubscribeUrl}}\">Se désinscrire</a></p>")
                .TextBody("Votre panier vous attend.\n\nSe désinscrire : {{unsubscribeUrl}}"))
                // end-snippet
            .Then().After(1.Days()).Email("email-last-call", m => m
                .Subject("Dernier rappel")
                .TextBody("Votre panier vous attend toujours.\n\nSe désinscrire : {{unsubscribeUrl}}"))
            .Build();

    // begin-snippet: templates-build-shop
    public static WebApplication BuildShop(string[] args, byte[] unsubscribeKey)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSingleton<HttpClient>();
        builder.Services.AddSingleton<Preferences>();
        builder.Services.AddRecoveryJourneys(journeys => journeys
            .AddJourney(WithUnsubscribeLink())
            .AddChannel<EmailMessage, MyEmailChannel>()
            .UseConsent<PreferenceCentre>()
            .UseUnsubscribeLinks(new Uri("https://shop.example.com/unsubscribe"), unsubscribeKey));

        var app = builder.Build();
        app.MapGet("/unsubscribe", (string? customer, string? channel, string? token, UnsubscribeLinks links, Preferences preferences) =>
        {
            if (!links.TryVerify(customer, channel, token))
            {
                return Results.BadRequest("Ce lien de désinscription n'est pas valide.");
            }

            preferences.OptOut(customer!, channel!);
            return Results.Text($"Vous ne recevrez plus nos messages par {channel}.");
        });
        return app;
    }
    // end-snippet

    // ## Localized variants
    // begin-snippet: templates-localized
    public static JourneyDefinition Localized() =>
        Journey.When<CheckoutAbandoned>()
            .Named("localized")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .DefaultCulture("fr-FR")
            .Push(p => p
                .Title("Votre panier")
                .Body("Votre panier de {{money event.Total \"EUR\"}} vous attend.")
                .Localized("en", en => en.Title("Your cart").Body("Your {{money event.Total \"EUR\"}} cart is waiting."))
                .Localized("en-GB", gb => gb.Title("Your basket").Body("Your {{money event.Total \"EUR\"}} basket is waiting."))
                .Localized("de", de => de.Title("Ihr Warenkorb").Body("Ihr Warenkorb über {{money event.Total \"EUR\"}} wartet.")))
            .Build();
    // end-snippet

    // ## Content providers
    // begin-snippet: templates-with-content
    public static JourneyDefinition WithContent() =>
        Journey.When<CheckoutAbandoned>()
            .Named("checkout-recovery")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .DefaultCulture("fr-FR")
            .Fetch<StockLevel>("stock")
            .Fetch("socialProof")
            .After(1.Hours()).Email("email-reminder", m => m
                .Subject("{{#if content.stock}}Plus que {{content.stock.Left}} en stock !{{else}}Votre panier vous attend{{/if}}")
                .TextBody("{{number content.socialProof}} clients ont profité de cette offre."))
            .Build();
    // end-snippet

    // begin-snippet: templates-register-content
    public static void RegisterContent(IServiceCollection services) =>
        services.AddRecoveryJourneys(journeys => journeys
            .AddJourney(WithContent())
            .AddChannel<EmailMessage, MyEmailChannel>()
            .AddContentProvider<LowestStockProvider>("stock")
            .AddContentProvider("socialProof", new SocialProofProvider(recoveredOrders: 1234)));
    // end-snippet

    // ## Custom helpers
    // begin-snippet: templates-custom-helpers
    public static JourneyDefinition WithCustomHelpers()
    {
        var options = new HandlebarsTemplateOptions();
        options.Helpers["firstName"] = (_, arguments) => arguments[0]?.ToString()?.Split(' ')[0];
        options.ModelHelpers["hello"] = (model, _) => model.Culture.TwoLetterISOLanguageName == "fr" ? "Bonjour" : "Hello";
        options.BlockHelpers["ifLowStock"] = (output, block, context, arguments) =>
        {
            if (Convert.ToInt32(arguments[0], CultureInfo.InvariantCulture) <= 3)
            {
                block.Template(output, context);
            }
            else
            {
                block.Inverse(output, context);
            }
        };

        return Journey.When<CheckoutAbandoned>()
            .Named("custom-helpers")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .Fetch<StockLevel>("stock")
            .Push(p => p.Body("{{hello}} {{firstName customer.name}}, {{#ifLowStock content.stock.Left}}vite, il n'en reste que {{content.stock.Left}} !{{else}}votre panier vous attend.{{/ifLowStock}}"))
            .Build(new HandlebarsTemplateEngine(options));
    }
    // end-snippet

    // ## Previews
    // begin-snippet: templates-preview
    public static async Task<string> PreviewFirstPushAsync(JourneyEngine engine, CheckoutAbandoned sample, CancellationToken cancellationToken)
    {
        var preview = await engine.PreviewAsync("checkout-recovery", "push-reminder", sample, cancellationToken: cancellationToken);
        var shown = preview.Messages.Single();
        return shown.Message is PushMessage push
            ? $"{preview.RenderedAt}: {push.Body}"
            : $"not sent: {shown.SkipReason}";
    }
    // end-snippet
}

// ## The template model and ## Content providers: what the providers return
// begin-snippet: templates-stock-level
public sealed record StockLevel(string Product, int Left);
// end-snippet

// ### unsubscribeUrl: where the shop keeps opt-outs, and the consent checker that reads them
public sealed class Preferences
{
    private readonly ConcurrentDictionary<(string CustomerId, string Channel), bool> _optOuts = new();

    public void OptOut(string customerId, string channel) => _optOuts[(customerId, channel)] = true;

    public bool HasOptedOut(string customerId, string channel) => _optOuts.ContainsKey((customerId, channel));
}

// begin-snippet: getting-started-preference-centre
public sealed class PreferenceCentre(Preferences preferences) : IConsentChecker
{
    public ValueTask<bool> MayContactAsync(Customer customer, string channel, CancellationToken cancellationToken) =>
        ValueTask.FromResult(!preferences.HasOptedOut(customer.Id, channel));
}
// end-snippet

// ## Content providers
public interface IInventory
{
    ValueTask<int> CountAsync(string product, CancellationToken cancellationToken);
}

// begin-snippet: templates-lowest-stock-provider
public sealed class LowestStockProvider(IInventory inventory) : IContentProvider
{
    public async ValueTask<object?> GetAsync(ContentRequest request, CancellationToken cancellationToken)
    {
        StockLevel? lowest = null;
        foreach (var item in ((CheckoutAbandoned)request.Event).Items)
        {
            var left = await inventory.CountAsync(item.Name, cancellationToken);
            if (lowest is null || left < lowest.Left)
            {
                lowest = new StockLevel(item.Name, left);
            }
        }

        return lowest;
    }
}
// end-snippet

public sealed class SocialProofProvider(int recoveredOrders) : IContentProvider
{
    public ValueTask<object?> GetAsync(ContentRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<object?>(recoveredOrders);
}

// ### Another template engine
// begin-snippet: templates-placeholder-engine
public sealed class PlaceholderEngine : ITemplateEngine
{
    private static readonly string[] Known = ["{name}", "{order}"];

    public ICompiledTemplate Compile(string source, TemplateFormat format, TemplateModelShape shape)
    {
        var unknown = Regex.Matches(source, @"\{[^}]*\}").Select(m => m.Value).Except(Known).ToList();
        if (unknown.Count > 0)
        {
            throw new TemplateException($"unknown placeholder {string.Join(", ", unknown)}");
        }

        return new Placeholders(source, format);
    }

    private sealed class Placeholders(string source, TemplateFormat format) : ICompiledTemplate
    {
        public string Render(TemplateModel model)
        {
            var name = model.Customer?.Name ?? string.Empty;
            var order = ((CheckoutAbandoned)model.Event).OrderId;
            return source
                .Replace("{name}", format == TemplateFormat.Html ? WebUtility.HtmlEncode(name) : name, StringComparison.Ordinal)
                .Replace("{order}", order, StringComparison.Ordinal);
        }
    }
}
// end-snippet
