using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Recovery.Journeys.AspNetCore.Dashboard;

/// <summary>
/// The dashboard's security defaults, checked on every request: local requests only without an authorization policy,
/// and for actions, a separate policy and an antiforgery token.
/// </summary>
internal static class DashboardAccess
{
    /// <summary>Whether the host put an authorization policy on the dashboard's endpoints (and did not allow anonymous users).</summary>
    public static bool IsSecured(Endpoint? endpoint) =>
        endpoint is not null
        && (endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0 || endpoint.Metadata.GetMetadata<AuthorizationPolicy>() is not null)
        && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null;

    /// <summary>Whether the request comes from this machine: the loopback, or the server's own address (Hangfire's rule).</summary>
    public static bool IsLocal(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null)
        {
            return false;
        }

        return IPAddress.IsLoopback(remote) || remote.Equals(context.Connection.LocalIpAddress);
    }

    /// <summary>What the current user may do, for the page to show actions or say why not.</summary>
    public static async ValueTask<(bool CanAct, string? Why)> ActionsAsync(HttpContext context, JourneyDashboardOptions options)
    {
        if (options.ReadOnly)
        {
            return (false, "This dashboard is read-only.");
        }

        var secured = IsSecured(context.GetEndpoint());
        if (options.ActionPolicy is null)
        {
            return secured
                ? (false, "Read-only: actions need JourneyDashboardOptions.ActionPolicy, a policy separate from viewing.")
                : (true, null);
        }

        var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
        var allowed = await authorization.AuthorizeAsync(context.User, options.ActionPolicy).ConfigureAwait(false);
        return allowed.Succeeded ? (true, null) : (false, "Read-only for you: actions need the policy " + options.ActionPolicy + ".");
    }

    /// <summary>The check before every dashboard endpoint: the answer refusing the request, or <see langword="null"/> to serve it.</summary>
    public static async ValueTask<IResult?> CheckAsync(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<JourneyDashboardOptions>>().Value;
        var endpoint = context.GetEndpoint();
        if (!IsSecured(endpoint) && !IsLocal(context))
        {
            return Results.Content(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Forbidden</title></head><body><h1>Forbidden</h1>" +
                "<p>This Recovery.Journeys dashboard has no authorization policy, so it serves local requests only. " +
                "Give it one: <code>app.MapRecoveryJourneysDashboard(\"/journeys\").RequireAuthorization(\"policy\")</code>.</p></body></html>",
                "text/html; charset=utf-8",
                statusCode: StatusCodes.Status403Forbidden);
        }

        if (endpoint?.Metadata.GetMetadata<ActionEndpoint>() is not null)
        {
            var (canAct, why) = await ActionsAsync(context, options).ConfigureAwait(false);
            if (!canAct)
            {
                return Results.Text(why, statusCode: StatusCodes.Status403Forbidden);
            }

            var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
            {
                return Results.Text("The form's antiforgery token is missing or invalid: reload the page and try again.", statusCode: StatusCodes.Status400BadRequest);
            }
        }

        return null;
    }

    /// <summary>Marks the dashboard's action endpoints (POST).</summary>
    public sealed class ActionEndpoint
    {
        public static ActionEndpoint Instance { get; } = new();
    }
}
