using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Extensions;
using Recovery.Journeys.AspNetCore.Rendering;
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
    public static async Task ShowAsync(HttpContext http)
    {
        var result = Verified(http) is (_, var channel) ? await Page(http, UnsubscribePageKind.Confirm, channel, StatusCodes.Status200OK).ConfigureAwait(false) : await Invalid(http).ConfigureAwait(false);
        await result.ExecuteAsync(http).ConfigureAwait(false);
    }

    /// <summary>POST: unsubscribes, for the page's button or a mail client's one-click POST.</summary>
    public static async Task UnsubscribeAsync(HttpContext http)
    {
        var result = await UnsubscribeResultAsync(http).ConfigureAwait(false);
        await result.ExecuteAsync(http).ConfigureAwait(false);
    }

    private static async Task<IResult> UnsubscribeResultAsync(HttpContext http)
    {
        if (Verified(http) is not (var customer, var channel))
        {
            return await Invalid(http).ConfigureAwait(false);
        }

        var oneClick = http.Request.HasFormContentType
            && (await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false))["List-Unsubscribe"] == "One-Click";
        var handler = http.RequestServices.GetRequiredService<IUnsubscribeHandler>();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetCurrentInstant();
        await handler.UnsubscribeAsync(new Unsubscription(customer, channel, now, oneClick), http.RequestAborted).ConfigureAwait(false);
        return oneClick
            ? Results.Ok()
            : await Page(http, UnsubscribePageKind.Done, channel, StatusCodes.Status200OK).ConfigureAwait(false);
    }

    private static (string Customer, string Channel)? Verified(HttpContext http)
    {
        var links = http.RequestServices.GetService<UnsubscribeLinks>()
            ?? throw new InvalidOperationException("MapRecoveryJourneysUnsubscribe needs signed links: call UseUnsubscribeLinks(baseUrl, signingKey) in AddRecoveryJourneys.");
        var query = http.Request.Query;
        string? customer = query["customer"], channel = query["channel"], token = query["token"];
        return links.TryVerify(customer, channel, token) ? (customer!, channel!) : null;
    }

    private static Task<IResult> Invalid(HttpContext http) => Page(http, UnsubscribePageKind.Invalid, string.Empty, StatusCodes.Status400BadRequest);

    private static Task<IResult> Page(HttpContext http, UnsubscribePageKind kind, string channel, int status) =>
        StaticComponent.RenderAsync<UnsubscribePage>(http, new() { [nameof(UnsubscribePage.Kind)] = kind, [nameof(UnsubscribePage.Channel)] = channel }, status);
}
