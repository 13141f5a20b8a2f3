using System.Globalization;
using Microsoft.AspNetCore.Http;
using NodaTime;
using NodaTime.Text;

namespace Recovery.Journeys.AspNetCore.Dashboard;

/// <summary>
/// The period a page reports on, picked by the viewer: today, the last 7 or 30 days, or custom dates, as days of the
/// shop's zone. Read from the query string (<c>?period=7d</c>, <c>?period=custom&amp;from=2026-11-01&amp;to=2026-11-30</c>).
/// </summary>
internal sealed record DashboardPeriod(string Kind, LocalDate First, LocalDate Last, Instant From, Instant To)
{
    public static readonly string[] Kinds = ["today", "7d", "30d", "custom"];

    /// <summary>The query string that selects this period again.</summary>
    public string Query => Kind == "custom"
        ? $"period=custom&from={LocalDatePattern.Iso.Format(First)}&to={LocalDatePattern.Iso.Format(Last)}"
        : $"period={Kind}";

    /// <summary>The period in words, for every figure's label.</summary>
    public string Label(CultureInfo culture) => Kind switch
    {
        "today" => $"today ({First.ToString("d", culture)})",
        "7d" => $"last 7 days ({First.ToString("d", culture)} to {Last.ToString("d", culture)})",
        "30d" => $"last 30 days ({First.ToString("d", culture)} to {Last.ToString("d", culture)})",
        _ => $"{First.ToString("d", culture)} to {Last.ToString("d", culture)}",
    };

    public static DashboardPeriod Of(IQueryCollection query, Instant now, DateTimeZone zone)
    {
        var today = now.InZone(zone).Date;
        var kind = query["period"].ToString() is { Length: > 0 } k && Kinds.Contains(k) ? k : "7d";
        var (first, last) = kind switch
        {
            "today" => (today, today),
            "30d" => (today.PlusDays(-29), today),
            "custom" => (Date(query["from"]) ?? today.PlusDays(-6), Date(query["to"]) ?? today),
            _ => (today.PlusDays(-6), today),
        };
        if (last < first)
        {
            (first, last) = (last, first);
        }

        return new DashboardPeriod(kind, first, last, first.AtStartOfDayInZone(zone).ToInstant(), last.PlusDays(1).AtStartOfDayInZone(zone).ToInstant());
    }

    private static LocalDate? Date(string? text) =>
        text is not null && LocalDatePattern.Iso.Parse(text) is { Success: true } parsed ? parsed.Value : null;
}
