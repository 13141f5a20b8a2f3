using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Recovery.Journeys.AspNetCore.Unsubscribe;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Maps the one-click unsubscribe endpoint (RFC 8058) for the signed links of <c>UseUnsubscribeLinks</c>.</summary>
public static class RecoveryJourneysUnsubscribeExtensions
{
    /// <summary>
    /// Maps <paramref name="pattern"/>: a GET shows a confirmation page (link scanners change nothing), a POST verifies
    /// the link's signature and calls the host's <see cref="IUnsubscribeHandler"/>, whether it is the page's button or a
    /// mail client's one-click POST (<c>List-Unsubscribe=One-Click</c>). An invalid link gets 400.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="pattern">The path of the base URL given to <c>UseUnsubscribeLinks</c>.</param>
    /// <returns>The endpoints' group, for the host's conventions (rate limiting).</returns>
    public static RouteGroupBuilder MapRecoveryJourneysUnsubscribe(this IEndpointRouteBuilder endpoints, string pattern = "/unsubscribe")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(pattern);
        group.ExcludeFromDescription().AllowAnonymous();
        group.MapGet("/", UnsubscribeEndpoints.ShowAsync);
        group.MapPost("/", UnsubscribeEndpoints.UnsubscribeAsync).DisableAntiforgery();
        return group;
    }
}
