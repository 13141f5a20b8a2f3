using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Recovery.Journeys.Reports;

namespace Recovery.Journeys.AspNetCore.Dashboard;

/// <summary>What every page needs besides its own data: where the dashboard lives, who may act, the antiforgery token, how to write figures.</summary>
internal sealed record DashboardContext(
    string BasePath,
    string Title,
    bool LocalOnly,
    bool CanAct,
    string? ReadOnlyReason,
    string AntiforgeryField,
    string AntiforgeryToken,
    ReportFormat Format,
    DateTimeZone ShopZone,
    string? Notice)
{
    /// <summary>The context of one request to the dashboard mapped at <paramref name="prefix"/>.</summary>
    public static async ValueTask<DashboardContext> CreateAsync(HttpContext http, JourneyDashboardOptions options, string prefix)
    {
        var (canAct, why) = await DashboardAccess.ActionsAsync(http, options).ConfigureAwait(false);
        var tokens = canAct ? http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http) : null;
        var notice = http.Request.Query["notice"].ToString();
        return new DashboardContext(
            $"{http.Request.PathBase}{prefix}",
            options.Title,
            !DashboardAccess.IsSecured(http.GetEndpoint()),
            canAct,
            why,
            tokens?.FormFieldName ?? string.Empty,
            tokens?.RequestToken ?? string.Empty,
            new ReportFormat(options.Culture, options.Currency),
            options.TimeZone,
            notice.Length == 0 ? null : notice);
    }

    /// <summary>A link inside the dashboard.</summary>
    public string Link(string relative) => relative.Length == 0 ? BasePath.TrimEnd('/') + "/" : $"{BasePath.TrimEnd('/')}/{relative.TrimStart('/')}";

    /// <summary>An instant in a zone, with the zone named: <c>01/12/2026 14:05:03 Europe/Paris</c>.</summary>
    public string Time(Instant instant, DateTimeZone zone) =>
        $"{instant.InZone(zone).ToString("dd/MM/yyyy HH:mm:ss", Format.Culture)} {zone.Id}";

    /// <summary>An instant in the shop's zone.</summary>
    public string Time(Instant instant) => Time(instant, ShopZone);
}
