using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Extensions;
using Recovery.Journeys.AspNetCore.Dashboard;
using Recovery.Journeys.Channels;

namespace Recovery.Journeys.AspNetCore.Unsubscribe;

/// <summary>
/// The unsubscribe link's endpoint. A GET (a person following the link, or a mail scanner) changes nothing: it shows a
/// page with a button. A POST unsubscribes: RFC 8058's one-click POST from a mail client (body
/// <c>List-Unsubscribe=One-Click</c>) or the page's button. Both verify the link's signature; no cookie or antiforgery
/// token is involved, the signature is the proof.
/// </summary>
internal static class UnsubscribeEndpoints
{
    /// <summary>GET: the confirmation page. A request delegate (no route handler generated at run time: trimming and AOT safe).</summary>
    public static Task ShowAsync(HttpContext http) => Show(http).ExecuteAsync(http);

    /// <summary>POST: unsubscribes, for the page's button or a mail client's one-click POST.</summary>
    public static async Task UnsubscribeAsync(HttpContext http)
    {
        var result = await UnsubscribeResultAsync(http).ConfigureAwait(false);
        await result.ExecuteAsync(http).ConfigureAwait(false);
    }

    private static IResult Show(HttpContext http)
    {
        if (Verified(http) is not (_, var channel))
        {
            return Invalid();
        }

        return Page(
            "Unsubscribe",
            $"<p>Stop receiving {Html.Encode(channel)} messages about your basket?</p><form method=\"post\"><button type=\"submit\">Unsubscribe</button></form>",
            StatusCodes.Status200OK);
    }

    private static async Task<IResult> UnsubscribeResultAsync(HttpContext http)
    {
        if (Verified(http) is not (var customer, var channel))
        {
            return Invalid();
        }

        var oneClick = http.Request.HasFormContentType
            && (await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false))["List-Unsubscribe"] == "One-Click";
        var handler = http.RequestServices.GetRequiredService<IUnsubscribeHandler>();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetCurrentInstant();
        await handler.UnsubscribeAsync(new Unsubscription(customer, channel, now, oneClick), http.RequestAborted).ConfigureAwait(false);
        return oneClick
            ? Results.Ok()
            : Page("Unsubscribed", $"<p>Done: you will receive no more {Html.Encode(channel)} messages from these reminders.</p>", StatusCodes.Status200OK);
    }

    private static (string Customer, string Channel)? Verified(HttpContext http)
    {
        var links = http.RequestServices.GetService<UnsubscribeLinks>()
            ?? throw new InvalidOperationException("MapRecoveryJourneysUnsubscribe needs signed links: call UseUnsubscribeLinks(baseUrl, signingKey) in AddRecoveryJourneys.");
        var query = http.Request.Query;
        string? customer = query["customer"], channel = query["channel"], token = query["token"];
        return links.TryVerify(customer, channel, token) ? (customer!, channel!) : null;
    }

    private static IResult Invalid() =>
        Page("Link not valid", "<p>This unsubscribe link is not valid: it may have been cut or changed. Use the link in your latest message.</p>", StatusCodes.Status400BadRequest);

    private static IResult Page(string title, string body, int status) => Results.Content(
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\"><title>{title}</title></head>" +
        $"<body style=\"font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem\"><h1>{title}</h1>{body}</body></html>",
        "text/html; charset=utf-8",
        statusCode: status);
}
