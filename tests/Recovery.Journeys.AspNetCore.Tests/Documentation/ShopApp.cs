// begin-snippet: aspnetcore-app
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Recovery.Journeys.AspNetCore.Unsubscribe;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using ShopWeb.Channels;

namespace Recovery.Journeys.AspNetCore.Tests.Documentation;

public static class ShopApp
{
    public static WebApplication Build(WebApplicationBuilder builder, JourneyDefinition journey, byte[] unsubscribeKey)
    {
        builder.Services.AddRecoveryJourneys(j => j
            .AddJourney(journey)
            .AddChannel<EmailMessage, ShopOutbox<EmailMessage>>()
            .AddChannel<SmsMessage, ShopOutbox<SmsMessage>>()
            .UseUnsubscribeLinks(new Uri("https://shop.example.com/unsubscribe"), unsubscribeKey));

        // Where consent lives: the engine asks it before each message, the unsubscribe endpoint writes to it.
        builder.Services.AddSingleton<ShopConsent>();
        builder.Services.AddSingleton<IConsentChecker>(sp => sp.GetRequiredService<ShopConsent>());
        builder.Services.AddSingleton<IUnsubscribeHandler>(sp => sp.GetRequiredService<ShopConsent>());

        // Support sees the dashboard; marketing may also pause, resume, cancel and erase.
        builder.Services.AddAuthorization(o =>
        {
            o.AddPolicy("journeys-viewers", p => p.RequireRole("support", "marketing"));
            o.AddPolicy("journeys-operators", p => p.RequireRole("marketing"));
        });
        builder.Services.AddRecoveryJourneysDashboard(d =>
        {
            d.ActionPolicy = "journeys-operators";
            d.Title = "Boutique recovery";
            d.Currency = "EUR";
            d.TimeZone = DateTimeZoneProviders.Tzdb["Europe/Paris"];
        });
        builder.Services.AddRecoveryJourneysJson();
        builder.Services.AddHealthChecks().AddRecoveryJourneys(h => h.DegradedLateness = Duration.FromMinutes(10));
        builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddRecoveryJourneysInstrumentation())
            .WithMetrics(m => m.AddRecoveryJourneysInstrumentation());

        var app = builder.Build();
        app.UseAuthentication(); // the shop's own sign-in (cookies, OpenID Connect...), registered as usual
        app.UseAuthorization();
        app.MapRecoveryJourneysDashboard("/journeys").RequireAuthorization("journeys-viewers");
        app.MapRecoveryJourneysUnsubscribe("/unsubscribe");
        app.MapHealthChecks("/health");
        return app;
    }
}
// end-snippet
