using System.Text;
using NodaTime.Text;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Reports;

namespace Recovery.Journeys.AspNetCore.Dashboard;

/// <summary>The home page: every journey with its state and figures over the period picked, and its daily trend.</summary>
internal static class JourneysPage
{
    public static string Render(DashboardContext context, DashboardPeriod period, IReadOnlyList<(JourneyDefinition Journey, JourneyReport Report)> journeys, IReadOnlyList<JourneyPause> pauses)
    {
        var html = new StringBuilder();
        PeriodPicker(html, period, context.Link(string.Empty));
        var format = context.Format;
        Html.Table(
            html,
            $"Journeys, instances entered {period.Label(format.Culture)}",
            ["Journey", "Version", "State", "Entered", "Active", "Converted", "Conversion", "Recovered revenue"],
            journeys.Select(j => (IReadOnlyList<string>)
            [
                $"<a href=\"{Html.Encode(context.Link("journey/" + Html.Query(j.Journey.Name) + "?" + period.Query))}\">{Html.Encode(j.Journey.Name)}</a>",
                $"v{j.Journey.Version}",
                State(pauses.FirstOrDefault(p => p.JourneyName == j.Journey.Name)),
                format.Count(j.Report.Entered),
                format.Count(j.Report.Active),
                format.Count(j.Report.Converted),
                format.Percent(j.Report.ConversionRate),
                Html.Encode(format.Money(j.Report.RecoveredRevenue)),
            ]));
        html.Append("<h2>Daily trend</h2>");
        foreach (var (_, report) in journeys)
        {
            html.Append("<figure>").Append(report.ToTrendSvg(format)).Append("</figure>");
        }

        return DashboardLayout.Page(context, "Journeys", html.ToString());
    }

    /// <summary>A journey's state in words, marked for colour and for screen readers alike.</summary>
    public static string State(JourneyPause? pause) => pause is null
        ? "<span class=\"running\">running</span>"
        : $"<span class=\"paused\">paused</span>{(pause.AdmitsNewInstances ? string.Empty : " <span class=\"muted\">(not admitting new instances)</span>")}";

    /// <summary>Links to the usual periods and a form for custom dates (a plain GET: works without script).</summary>
    public static void PeriodPicker(StringBuilder html, DashboardPeriod period, string action)
    {
        html.Append("<p class=\"periods\">Period: ");
        foreach (var (kind, label) in new[] { ("today", "Today"), ("7d", "7 days"), ("30d", "30 days") })
        {
            html.Append("<a href=\"").Append(Html.Encode(action + (action.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "period=" + kind)).Append('"')
                .Append(period.Kind == kind ? " aria-current=\"page\"" : string.Empty).Append('>').Append(label).Append("</a>");
        }

        html.Append("</p><form method=\"get\" action=\"").Append(Html.Encode(action)).Append("\"><input type=\"hidden\" name=\"period\" value=\"custom\">")
            .Append("<label>From <input type=\"date\" name=\"from\" value=\"").Append(LocalDatePattern.Iso.Format(period.First)).Append("\"></label>")
            .Append("<label>To <input type=\"date\" name=\"to\" value=\"").Append(LocalDatePattern.Iso.Format(period.Last)).Append("\"></label>")
            .Append("<button type=\"submit\">Show</button></form>");
    }
}
