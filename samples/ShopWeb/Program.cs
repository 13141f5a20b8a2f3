using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using Recovery.Journeys.AspNetCore.Unsubscribe;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using ShopWeb.Api;
using ShopWeb.Channels;
using ShopWeb.Seeding;
using ShopWeb.Shop;

var builder = WebApplication.CreateBuilder(args);
var database = builder.Configuration["ShopWeb:Database"] ?? Path.Combine(builder.Environment.ContentRootPath, "shopweb.db");
var publicUrl = new Uri(builder.Configuration["ShopWeb:PublicUrl"] ?? "http://localhost:5080/");
// A real shop keeps this key in its secrets; the sample derives one so that links survive a restart.
var signingKey = SHA256.HashData(Encoding.UTF8.GetBytes(builder.Configuration["ShopWeb:UnsubscribeSecret"] ?? "shopweb-sample-secret"));

builder.Services.AddSingleton<ShopConsent>();
builder.Services.AddSingleton<IUnsubscribeHandler>(sp => sp.GetRequiredService<ShopConsent>());
builder.Services.AddSingleton<IConsentChecker>(sp => sp.GetRequiredService<ShopConsent>());
builder.Services.AddRecoveryJourneys(j => j
    .AddJourney(ShopJourneys.CheckoutRecovery)
    .AddJourney(ShopJourneys.PaymentRetry)
    .AddChannel<EmailMessage, ShopOutbox<EmailMessage>>()
    .AddChannel<SmsMessage, ShopOutbox<SmsMessage>>()
    .UseUnsubscribeLinks(new Uri(publicUrl, "unsubscribe"), signingKey)
    .UseSqliteStore(database));
builder.Services.AddRecoveryJourneysDashboard(d =>
{
    d.Title = "ShopWeb recovery";
    d.Currency = "EUR";
    d.Culture = CultureInfo.GetCultureInfo("en-GB");
    d.TimeZone = DateTimeZoneProviders.Tzdb["Europe/Paris"];
    d.PreviewCultures.Add("en-GB");
    d.FailuresWindow = Duration.FromDays(30);
    // Without them (ShopWeb:PreviewSamples=false), previews use each journey's last real event, its personal data masked.
    if (builder.Configuration.GetValue("ShopWeb:PreviewSamples", true))
    {
        d.AddSampleEvent(new CheckoutAbandoned("O-SAMPLE", d.SampleCustomer, [new CartItem("Trail shoes", 89m), new CartItem("Wool scarf", 25m)]));
        d.AddSampleEvent(new PaymentFailed("O-SAMPLE", d.SampleCustomer, 114m));
    }
});
builder.Services.AddRecoveryJourneysJson();
builder.Services.AddHealthChecks().AddRecoveryJourneys();
// Requests the endpoints cannot read get a 400 problem saying why (ShopWeb.Api.BadRequestProblems).
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<BadRequestProblems>();

var app = builder.Build();
if (!app.Configuration.GetValue<bool>("ShopWeb:SkipSeed"))
{
    var published = await ShopSeeder.SeedAsync(database, app.Services.GetRequiredService<TimeProvider>(), app.Configuration.GetValue("ShopWeb:SeedDays", 30));
    app.Logger.LogInformation("Seeded {Count} events of history into {Database}", published, database);
}

app.UseExceptionHandler();
app.MapShopEvents();
app.MapGet("/orders/{orderId}/journeys", async (string orderId, JourneyEngine engine, CancellationToken ct) =>
    await engine.FindInstancesAsync(new JourneyInstanceQuery(CorrelationKey: orderId), ct));
app.MapGet("/outbox", (IChannel<EmailMessage> email, IChannel<SmsMessage> sms) => new
{
    Email = ((ShopOutbox<EmailMessage>)email).Sent.Select(d => new { d.Recipient.Id, d.StepId, d.Message.Subject }),
    Sms = ((ShopOutbox<SmsMessage>)sms).Sent.Select(d => new { d.Recipient.Id, d.StepId, d.Message.Text }),
});

app.MapRecoveryJourneysDashboard("/journeys");
app.MapRecoveryJourneysUnsubscribe("/unsubscribe");
app.MapHealthChecks("/health");
app.MapGet("/", () => Results.Redirect("/journeys/"));
await app.RunAsync();

/// <summary>The app, for WebApplicationFactory in the tests.</summary>
public partial class Program;
