using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Recovery.Journeys.AspNetCore.Dashboard;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers and maps the Recovery.Journeys operator dashboard.</summary>
public static class RecoveryJourneysDashboardExtensions
{
    /// <summary>Registers the dashboard's settings and what it needs (antiforgery, authorization).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the dashboard's options; the defaults when <see langword="null"/>.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddRecoveryJourneysDashboard(this IServiceCollection services, Action<JourneyDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddAntiforgery();
        services.AddAuthorization();
        var builder = services.AddOptions<JourneyDashboardOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        return services;
    }

    /// <summary>
    /// Maps the dashboard under <paramref name="prefix"/>. Secure by default: without an authorization policy on the
    /// returned group (<c>.RequireAuthorization("policy")</c>), it answers local requests only; actions need an
    /// antiforgery token and <see cref="JourneyDashboardOptions.ActionPolicy"/>. See <see cref="JourneyDashboardOptions"/>.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="prefix">Where the dashboard lives.</param>
    /// <returns>The dashboard's endpoint group, for the host's conventions (authorization, rate limiting).</returns>
    public static RouteGroupBuilder MapRecoveryJourneysDashboard(this IEndpointRouteBuilder endpoints, string prefix = "/journeys")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var group = endpoints.MapGroup(prefix);
        group.ExcludeFromDescription();
        DashboardEndpoints.Map(group, "/" + prefix.Trim('/'));
        return group;
    }
}
