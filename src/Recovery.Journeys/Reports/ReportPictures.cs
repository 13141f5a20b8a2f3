using System.Globalization;
using System.Security;
using System.Text;

namespace Recovery.Journeys.Reports;

/// <summary>Draws a report as SVG: plain shapes and text, sized in pixels, invariant culture, nothing external.</summary>
internal static class ReportPictures
{
    private const int Width = 760;
    private const int LabelWidth = 290;
    private const int BarWidth = 300;
    private const int RowHeight = 34;
    private const string Font = "font-family=\"system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif\"";

    public static string Funnel(JourneyReport report)
    {
        var rows = new List<(string Label, int Value, string Color, string? Note)> { ("entered", report.Entered, "#5c6bc0", null) };
        if (report.Holdout is { } holdout)
        {
            rows.Add(($"not held out ({100 - holdout.Percent} %)", holdout.Journey.Entered, "#7986cb", null));
        }

        foreach (var step in report.Steps)
        {
            rows.Add(($"{step.StepId} ({step.Channel}) sent", step.Sent, "#42a5f5", step.Converted > 0 ? $"{Count(step.Converted)} converted after it" : null));
        }

        rows.Add(("converted", report.Converted, "#43a047", $"revenue {Money(report.Revenue)}"));
        rows.Add(("converted after a message", report.AttributedConversions, "#2e7d32", $"recovered {Money(report.RecoveredRevenue)}"));

        var height = 70 + (rows.Count * RowHeight) + 20;
        var svg = Open(height, $"Funnel of {report.JourneyName}");
        Title(svg, $"Funnel of {report.JourneyName}", Period(report));
        var max = Math.Max(1, report.Entered);
        for (var i = 0; i < rows.Count; i++)
        {
            var (label, value, color, note) = rows[i];
            var y = 70 + (i * RowHeight);
            var length = Math.Max(value > 0 ? 2 : 0, (int)Math.Round((double)value / max * BarWidth));
            var share = report.Entered == 0 ? string.Empty : $" ({Percent((double)value / report.Entered)})";
            Text(svg, LabelWidth - 8, y + 20, label, "end", 13);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y + 4}\" width=\"{length}\" height=\"{RowHeight - 10}\" rx=\"3\" fill=\"{color}\"/>\n");
            Text(svg, LabelWidth + length + 6, y + 17, $"{Count(value)}{share}", "start", 13, bold: true);
            if (note is not null)
            {
                Text(svg, LabelWidth + length + 6, y + 30, note, "start", 10, color: "#555");
            }
        }

        return svg.Append("</svg>\n").ToString();
    }

    public static string Comparison(JourneyReport report)
    {
        var sections = new List<(string Title, List<(string Name, int Size, int Converted)> Groups, string Verdict)>();
        foreach (var experiment in report.Experiments)
        {
            // Two variants: the second (the challenger) against the first; more: each against the others pooled.
            var verdict = experiment.Variants is [var first, var second]
                ? second.VersusOthers is { } uplift ? $"{second.Name} vs {first.Name}: {Verdict(uplift)}" : "not enough data"
                : string.Join("; ", experiment.Variants.Where(v => v.VersusOthers is not null).Select(v => $"{v.Name} vs the others: {Verdict(v.VersusOthers!)}"));
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
                holdout.Uplift is { } uplift ? $"journey vs holdout: {Verdict(uplift)}" : "not enough data"));
        }

        var height = 70 + sections.Sum(s => 40 + (s.Groups.Count * RowHeight)) + (sections.Count == 0 ? 30 : 10);
        var svg = Open(height, $"Variants of {report.JourneyName}");
        Title(svg, $"Conversion by group: {report.JourneyName}", $"{Period(report)}; bars: conversion rate, whiskers: its {Percent(report.ConfidenceLevel)} interval");
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
                Text(svg, (int)Math.Round(x2) + 8, y + 20, $"{Percent(rate)} ({Count(converted)} / {Count(size)})", "start", 12, bold: true);
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

    public static string Percent(double ratio) => $"{(ratio * 100).ToString("0.#", CultureInfo.InvariantCulture)} %";

    /// <summary>A difference of proportions in percentage points, signed: <c>+4.9 pts</c>.</summary>
    public static string Points(double difference) => $"{(difference * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture)} pts";

    public static string PValue(double p) => p < 0.001 ? "p < 0.001" : $"p = {p.ToString("0.000", CultureInfo.InvariantCulture)}";

    private static string Verdict(Uplift uplift) =>
        $"{Points(uplift.Difference)} ({Percent(uplift.ConfidenceLevel)} CI {Points(uplift.Lower)} to {Points(uplift.Upper)}), {PValue(uplift.PValue)}: " +
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

    private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Money(decimal value) => value.ToString("N2", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text);
}
