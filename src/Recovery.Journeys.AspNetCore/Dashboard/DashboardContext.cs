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
    /// <summary>A link inside the dashboard.</summary>
    public string Link(string relative) => $"{BasePath.TrimEnd('/')}/{relative.TrimStart('/')}";

    /// <summary>An instant in a zone, with the zone named: <c>01/12/2026 14:05:03 Europe/Paris</c>.</summary>
    public string Time(Instant instant, DateTimeZone zone) =>
        $"{instant.InZone(zone).ToString("dd/MM/yyyy HH:mm:ss", Format.Culture)} {zone.Id}";

    /// <summary>An instant in the shop's zone.</summary>
    public string Time(Instant instant) => Time(instant, ShopZone);
}
