using System.Globalization;
using System.Security;
using System.Text;
using NodaTime;

namespace Recovery.Journeys.Reports;

/// <summary>Draws a report as SVG: plain shapes and text, sized in pixels, figures in the report format's culture, nothing external.</summary>
internal static class ReportPictures
{
    private const int Width = 760;
    private const int LabelWidth = 290;
    private const int BarWidth = 300;
    private const int RowHeight = 34;
    private const string Font = "font-family=\"system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif\"";

    public static string Funnel(JourneyReport report, ReportFormat format)
    {
        // A stage is one row: a step every customer passes, or an experiment with its variants' steps side by side.
        var stages = new List<(string Label, List<(string Label, int Value, string Color, string? Note)> Cells)>
        {
            ("entered", [("", report.Entered, "#5c6bc0", null)]),
        };
        if (report.Holdout is { } holdout)
        {
            stages.Add(($"not held out ({100 - holdout.Percent} %)", [("", holdout.Journey.Entered, "#7986cb", null)]));
        }

        foreach (var group in GroupByArms(report.Steps))
        {
            if (group.Experiment is null)
            {
                var step = group.Steps[0];
                stages.Add(($"{step.StepId} ({step.Channel}) sent", [("", step.Sent, "#42a5f5", step.Converted > 0 ? $"{format.Count(step.Converted)} converted after it" : null)]));
                continue;
            }

            var variants = report.Experiments.FirstOrDefault(e => e.Name == group.Experiment)?.Variants ?? [];
            var cells = group.Steps.GroupBy(s => s.Variant ?? string.Empty).Select(arm =>
            {
                var assigned = variants.FirstOrDefault(v => v.Name == arm.Key)?.Assigned;
                var sent = arm.Sum(s => s.Sent);
                var converted = arm.Sum(s => s.Converted);
                var label = $"{arm.Key}: {string.Join(", ", arm.Select(s => s.StepId))}";
                var note = assigned is { } a ? $"{format.Count(a)} assigned, {format.Count(converted)} converted" : $"{format.Count(converted)} converted after it";
                return (label, sent, "#42a5f5", (string?)note);
            }).ToList();
            stages.Add(($"experiment {group.Experiment}, sent", cells));
        }

        stages.Add(("converted", [("", report.Converted, "#43a047", $"revenue {format.Money(report.Revenue)}")]));
        stages.Add(("converted after a message", [("", report.AttributedConversions, "#2e7d32", $"recovered {format.Money(report.RecoveredRevenue)}")]));

        var rowHeights = stages.Select(s => s.Cells.Count > 1 ? RowHeight + 16 : RowHeight).ToList();
        var height = 70 + rowHeights.Sum() + 20;
        var svg = Open(height, $"Funnel of {report.JourneyName}");
        Title(svg, $"Funnel of {report.JourneyName}", Period(report));
        var max = Math.Max(1, report.Entered);
        var y = 70;
        for (var i = 0; i < stages.Count; i++)
        {
            var (label, cells) = stages[i];
            Text(svg, LabelWidth - 8, y + 20, label, "end", 13);
            var columnWidth = (Width - LabelWidth - 10) / cells.Count;
            for (var c = 0; c < cells.Count; c++)
            {
                var (armLabel, value, color, note) = cells[c];
                var x = LabelWidth + (c * columnWidth);
                var top = y;
                if (armLabel.Length > 0)
                {
                    // An arm of an A/B test: its name above its bar, in its own column under the experiment.
                    Text(svg, x, y + 11, armLabel, "start", 11, bold: true, color: "#333");
                    top += 14;
                }

                var room = cells.Count == 1 ? BarWidth : columnWidth - 100;
                var length = Math.Max(value > 0 ? 2 : 0, (int)Math.Round((double)value / max * room));
                var share = report.Entered == 0 ? string.Empty : $" ({format.Percent((double)value / report.Entered)})";
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{top + 4}\" width=\"{length}\" height=\"{RowHeight - 10}\" rx=\"3\" fill=\"{color}\"/>\n");
                Text(svg, x + length + 6, top + 17, $"{format.Count(value)}{share}", "start", 13, bold: true);
                if (note is not null)
                {
                    Text(svg, x + length + 6, top + 30, note, "start", 10, color: "#555");
                }
            }

            y += rowHeights[i];
        }

        return svg.Append("</svg>\n").ToString();
    }

    /// <summary>Draws the entries and conversions of each day, with the recovered revenue, as bars over the period.</summary>
    public static string Trend(JourneyReport report, ReportFormat format)
    {
        const int Top = 70;
        const int ChartHeight = 160;
        const int Left = 60;
        var days = EveryDay(report);
        var height = Top + ChartHeight + 70;
        var svg = Open(height, $"Daily trend of {report.JourneyName}");
        Title(svg, $"Daily trend of {report.JourneyName}", $"{Period(report)}; by day of entry ({report.TimeZone})");
        if (days.Count == 0)
        {
            Text(svg, 20, Top + 20, "No instance entered in this period.", "start", 13);
            return svg.Append("</svg>\n").ToString();
        }

        var max = Math.Max(1, days.Max(d => d.Entered));
        var slot = (double)(Width - Left - 20) / days.Count;
        var bar = Math.Max(2, Math.Min(28, (slot - 4) / 2));
        svg.Append(CultureInfo.InvariantCulture, $"<path d=\"M{Left} {Top}V{Top + ChartHeight}H{Width - 20}\" stroke=\"#999\" fill=\"none\"/>\n");
        Text(svg, Left - 6, Top + 10, format.Count(max), "end", 10, color: "#555");
        Text(svg, Left - 6, Top + ChartHeight, "0", "end", 10, color: "#555");
        var labelEvery = Math.Max(1, (int)Math.Ceiling(days.Count / 10.0));
        for (var i = 0; i < days.Count; i++)
        {
            var day = days[i];
            var x = Left + (i * slot) + ((slot - (2 * bar)) / 2);
            var entered = (double)day.Entered / max * ChartHeight;
            var converted = (double)day.Converted / max * ChartHeight;
            var date = day.Date.ToString("d", format.Culture);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{Top + ChartHeight - entered:0.#}\" width=\"{bar:0.#}\" height=\"{entered:0.#}\" fill=\"#5c6bc0\"><title>{Escape($"{date}: {format.Count(day.Entered)} entered")}</title></rect>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x + bar:0.#}\" y=\"{Top + ChartHeight - converted:0.#}\" width=\"{bar:0.#}\" height=\"{converted:0.#}\" fill=\"#43a047\"><title>{Escape($"{date}: {format.Count(day.Converted)} converted, {format.Money(day.RecoveredRevenue)} recovered")}</title></rect>\n");
            if (i % labelEvery == 0)
            {
                Text(svg, (int)Math.Round(x + bar), Top + ChartHeight + 16, day.Date.ToString("dd/MM", format.Culture), "middle", 10, color: "#555");
            }
        }

        var legend = Top + ChartHeight + 40;
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{legend - 10}\" width=\"10\" height=\"10\" fill=\"#5c6bc0\"/>\n");
        Text(svg, Left + 14, legend, $"entered ({format.Count(report.Entered)})", "start", 11);
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left + 170}\" y=\"{legend - 10}\" width=\"10\" height=\"10\" fill=\"#43a047\"/>\n");
        Text(svg, Left + 184, legend, $"converted ({format.Count(report.Converted)}), recovered {format.Money(report.RecoveredRevenue)}", "start", 11);
        return svg.Append("</svg>\n").ToString();
    }

    /// <summary>Each day of a bounded period, those without entries as zeros, so gaps show; the days with entries otherwise.</summary>
    private static List<DayReport> EveryDay(JourneyReport report)
    {
        if (report.From is not { } from || report.To is not { } to || DateTimeZoneProviders.Tzdb.GetZoneOrNull(report.TimeZone) is not { } zone)
        {
            return [.. report.Days];
        }

        var (first, last) = (from.InZone(zone).Date, (to - Duration.Epsilon).InZone(zone).Date);
        if (NodaTime.Period.Between(first, last, PeriodUnits.Days).Days > 400)
        {
            return [.. report.Days];
        }

        var known = report.Days.ToDictionary(d => d.Date);
        var days = new List<DayReport>();
        for (var day = first; day <= last; day = day.PlusDays(1))
        {
            days.Add(known.GetValueOrDefault(day) ?? new DayReport(day, 0, 0, 0m, 0m));
        }

        return days;
    }

    /// <summary>The steps in order, consecutive steps of one experiment together.</summary>
    private static List<(string? Experiment, List<StepReport> Steps)> GroupByArms(IReadOnlyList<StepReport> steps)
    {
        var groups = new List<(string? Experiment, List<StepReport> Steps)>();
        foreach (var step in steps)
        {
            if (step.Experiment is not null && groups.Count > 0 && groups[^1].Experiment == step.Experiment)
            {
                groups[^1].Steps.Add(step);
            }
            else
            {
                groups.Add((step.Experiment, [step]));
            }
        }

        return groups;
    }

    public static string Comparison(JourneyReport report, ReportFormat format)
    {
        var sections = new List<(string Title, List<(string Name, int Size, int Converted)> Groups, string Verdict)>();
        foreach (var experiment in report.Experiments)
        {
            // Two variants: the second (the challenger) against the first; more: each against the others pooled.
            var verdict = experiment.Variants is [var first, var second]
                ? second.VersusOthers is { } uplift ? $"{second.Name} vs {first.Name}: {Verdict(uplift, format)}" : "not enough data"
                : string.Join("; ", experiment.Variants.Where(v => v.VersusOthers is not null).Select(v => $"{v.Name} vs the others: {Verdict(v.VersusOthers!, format)}"));
            sections.Add((
                $"Experiment {experiment.Name}",
                experiment.Variants.Select(v => (v.Name, v.Assigned, v.Converted)).ToList(),
                verdict.Length == 0 ? "not enough data" : verdict));
        }

        if (report.Holdout is { } holdout)
        {
            sections.Add((
                $"Journey against its holdout ({holdout.Percent} %)",
                [(holdout.Journey.Name, holdout.Journey.Entered, holdout.Journey.Converted), (holdout.Holdout.Name, holdout.Holdout.Entered, holdout.Holdout.Converted)],
                holdout.Uplift is { } uplift ? $"journey vs holdout: {Verdict(uplift, format)}" : "not enough data"));
        }

        var height = 70 + sections.Sum(s => 40 + (s.Groups.Count * RowHeight)) + (sections.Count == 0 ? 30 : 10);
        var svg = Open(height, $"Variants of {report.JourneyName}");
        Title(svg, $"Conversion by group: {report.JourneyName}", $"{Period(report)}; bars: conversion rate, whiskers: its {format.Percent(report.ConfidenceLevel)} interval");
        if (sections.Count == 0)
        {
            Text(svg, 20, 85, "This journey has no experiment and no holdout.", "start", 13);
            return svg.Append("</svg>\n").ToString();
        }

        var z = Statistics.InverseNormal(1 - ((1 - report.ConfidenceLevel) / 2));
        var rates = sections.SelectMany(s => s.Groups).Where(g => g.Size > 0).Select(g => Interval(g.Converted, g.Size, z).Upper).DefaultIfEmpty(0).Max();
        var scale = BarWidth / Math.Max(0.01, Math.Min(1, rates * 1.1));
        var y = 70;
        foreach (var (title, groups, verdict) in sections)
        {
            Text(svg, 20, y + 14, title, "start", 14, bold: true);
            Text(svg, 20, y + 30, verdict, "start", 11, color: "#333");
            y += 40;
            foreach (var (name, size, converted) in groups)
            {
                var rate = size == 0 ? 0 : (double)converted / size;
                var (lower, upper) = size == 0 ? (0, 0) : Interval(converted, size, z);
                Text(svg, LabelWidth - 8, y + 21, name, "end", 13);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y + 5}\" width=\"{Math.Max(2, (int)Math.Round(rate * scale))}\" height=\"{RowHeight - 12}\" rx=\"3\" fill=\"{(name == "holdout" ? "#9e9e9e" : "#42a5f5")}\"/>\n");
                var (x1, x2, middle) = (LabelWidth + (lower * scale), LabelWidth + (upper * scale), y + 16);
                svg.Append(CultureInfo.InvariantCulture, $"<path d=\"M{x1:0.#} {middle}H{x2:0.#}M{x1:0.#} {middle - 6}V{middle + 6}M{x2:0.#} {middle - 6}V{middle + 6}\" stroke=\"#222\" stroke-width=\"1.5\" fill=\"none\"/>\n");
                Text(svg, (int)Math.Round(x2) + 8, y + 20, $"{format.Percent(rate)} ({format.Count(converted)} / {format.Count(size)})", "start", 12, bold: true);
                y += RowHeight;
            }
        }

        return svg.Append("</svg>\n").ToString();
    }

    public static string Period(JourneyReport report) =>
        (report.From, report.To) switch
        {
            (null, null) => "every instance",
            ({ } from, null) => $"instances entered from {JourneyReportExport.Format(from)}",
            (null, { } to) => $"instances entered before {JourneyReportExport.Format(to)}",
            ({ } from, { } to) => $"instances entered from {JourneyReportExport.Format(from)} to {JourneyReportExport.Format(to)}",
        };

    /// <summary>A difference of proportions in percentage points, signed, in the culture's digits: <c>+4.9 pts</c>, <c>+4,9 pts</c>.</summary>
    public static string Points(double difference, ReportFormat format) => $"{(difference * 100).ToString("+0.0;-0.0;0.0", format.Culture)} pts";

    /// <summary>A p-value with three decimals in the culture's digits, or <c>p &lt; 0.001</c>.</summary>
    public static string PValue(double p, ReportFormat format) =>
        p < 0.001 ? $"p < {0.001.ToString("0.000", format.Culture)}" : $"p = {p.ToString("0.000", format.Culture)}";

    private static string Verdict(Uplift uplift, ReportFormat format) =>
        $"{Points(uplift.Difference, format)} ({format.Percent(uplift.ConfidenceLevel)} CI {Points(uplift.Lower, format)} to {Points(uplift.Upper, format)}), {PValue(uplift.PValue, format)}: " +
        (uplift.IsSignificant ? "significant" : "not significant");

    private static (double Lower, double Upper) Interval(int converted, int size, double z)
    {
        var rate = (double)converted / size;
        var half = z * Math.Sqrt(rate * (1 - rate) / size);
        return (Math.Max(0, rate - half), Math.Min(1, rate + half));
    }

    private static StringBuilder Open(int height, string label) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"{Escape(label)}\">\n")
            .Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{height}\" fill=\"#ffffff\"/>\n");

    private static void Title(StringBuilder svg, string title, string subtitle)
    {
        Text(svg, 20, 30, title, "start", 18, bold: true);
        Text(svg, 20, 50, subtitle, "start", 12, color: "#555");
    }

    private static void Text(StringBuilder svg, int x, int y, string text, string anchor, int size, bool bold = false, string color = "#222") =>
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{y}\" {Font} font-size=\"{size}\" text-anchor=\"{anchor}\" fill=\"{color}\"{(bold ? " font-weight=\"bold\"" : string.Empty)}>{Escape(text)}</text>\n");

    private static string Escape(string text) => SecurityElement.Escape(text);
}
