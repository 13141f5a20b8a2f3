using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using NodaTime.Text;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Reports;

/// <summary>
/// Writes a <see cref="JourneyReport"/> out: CSV and JSON for spreadsheets and dashboards, SVG pictures (a funnel, the
/// variants and holdout compared) and a self-contained HTML page that embeds them. Every output is deterministic and
/// culture-invariant; none loads anything from outside (no scripts, fonts or images).
/// </summary>
public static class JourneyReportExport
{
    private static readonly JsonSerializerOptions Json = new(JourneyJson.CreateOptions(ReportJsonContext.Default)) { WriteIndented = true };

    private static readonly string[] CsvColumns =
    [
        "section", "journey", "step", "channel", "experiment", "variant", "group", "entered", "sent", "skipped", "held_out", "failed",
        "converted", "conversion_rate", "revenue", "difference", "relative_uplift", "ci_lower", "ci_upper", "z", "p_value", "significant",
        "action", "issued", "raised", "revoked", "withheld",
    ];

    /// <summary>
    /// Writes the report as CSV (RFC 4180, invariant culture, one header line): one row for the journey, one per step and
    /// channel of a step (<c>step</c>, <c>step-channel</c>), per coupon step (<c>coupon-step</c>, with its action and
    /// what it issued, raised, revoked and withheld), per channel, per variant and per holdout group. Rates and
    /// differences are proportions (0.05 is 5 %); a variant's comparison is against the other variants pooled, the
    /// journey group's against the holdout.
    /// </summary>
    /// <param name="report">The report.</param>
    public static string ToCsv(this JourneyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder().AppendJoin(',', CsvColumns).Append("\r\n");
        Row("journey", entered: report.Entered, converted: report.Converted, rate: report.ConversionRate, revenue: report.Revenue);
        foreach (var step in report.Steps)
        {
            Row("step", step: step.StepId, channel: step.Channel, sent: step.Sent, skipped: step.Skipped, heldOut: step.HeldOut, failed: step.Failed, converted: step.Converted, revenue: step.Revenue);
            foreach (var channel in step.Channels)
            {
                Row("step-channel", step: step.StepId, channel: channel.Channel, sent: channel.Sent, skipped: channel.Skipped, heldOut: channel.HeldOut, failed: channel.Failed, converted: channel.Converted, revenue: channel.Revenue);
            }
        }

        foreach (var coupon in report.CouponSteps)
        {
            Row("coupon-step", step: coupon.StepId, channel: "coupon", skipped: coupon.Skipped, heldOut: coupon.HeldOut, failed: coupon.Failed, coupon: coupon);
        }

        foreach (var channel in report.Channels)
        {
            Row("channel", channel: channel.Channel, sent: channel.Sent, skipped: channel.Skipped, heldOut: channel.HeldOut, failed: channel.Failed, converted: channel.Converted, revenue: channel.Revenue);
        }

        foreach (var experiment in report.Experiments)
        {
            foreach (var variant in experiment.Variants)
            {
                Row("variant", experiment: experiment.Name, variant: variant.Name, entered: variant.Assigned, converted: variant.Converted, rate: variant.ConversionRate, revenue: variant.Revenue, uplift: variant.VersusOthers);
            }
        }

        if (report.Holdout is { } holdout)
        {
            Row("group", group: holdout.Journey.Name, entered: holdout.Journey.Entered, converted: holdout.Journey.Converted, rate: holdout.Journey.ConversionRate, revenue: holdout.Journey.Revenue, uplift: holdout.Uplift);
            Row("group", group: holdout.Holdout.Name, entered: holdout.Holdout.Entered, converted: holdout.Holdout.Converted, rate: holdout.Holdout.ConversionRate, revenue: holdout.Holdout.Revenue);
        }

        return text.ToString();

        void Row(
            string section,
            string? step = null,
            string? channel = null,
            string? experiment = null,
            string? variant = null,
            string? group = null,
            int? entered = null,
            int? sent = null,
            int? skipped = null,
            int? heldOut = null,
            int? failed = null,
            int? converted = null,
            double? rate = null,
            decimal? revenue = null,
            Uplift? uplift = null,
            CouponStepReport? coupon = null)
        {
            string?[] cells =
            [
                section, report.JourneyName, step, channel, experiment, variant, group, Number(entered), Number(sent), Number(skipped), Number(heldOut), Number(failed),
                Number(converted), Ratio(rate), revenue?.ToString(CultureInfo.InvariantCulture), Ratio(uplift?.Difference), Ratio(uplift?.RelativeUplift),
                Ratio(uplift?.Lower), Ratio(uplift?.Upper), Ratio(uplift?.Z), Ratio(uplift?.PValue), uplift is null ? null : uplift.IsSignificant ? "true" : "false",
                coupon?.Action, Number(coupon?.Issued), Number(coupon?.Raised), Number(coupon?.Revoked), Number(coupon?.Withheld),
            ];
            text.AppendJoin(',', cells.Select(Csv)).Append("\r\n");
        }

        static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

        static string? Ratio(double? value) => value?.ToString("0.######", CultureInfo.InvariantCulture);

        static string Csv(string? cell) =>
            cell is null ? string.Empty
            : cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
            : cell;
    }

    /// <summary>Writes the report as indented JSON (camelCase; instants in ISO form; rates as proportions).</summary>
    /// <param name="report">The report.</param>
    public static string ToJson(this JourneyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(report, (JsonTypeInfo<JourneyReport>)Json.GetTypeInfo(typeof(JourneyReport)));
    }

    /// <summary>
    /// Draws the funnel as an SVG picture: entered, held out, each message step's sends, conversions, and the revenue
    /// they brought, each as a bar in proportion to the entries.
    /// </summary>
    /// <param name="report">The report.</param>
    public static string ToFunnelSvg(this JourneyReport report) => report.ToFunnelSvg(ReportFormat.Invariant);

    /// <summary>
    /// Draws the funnel as an SVG picture in the shop's culture and currency: entered, held out, each message step's
    /// sends (the variants of an A/B test side by side under their experiment), conversions and the revenue they brought.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="format">The culture and currency to write figures in.</param>
    public static string ToFunnelSvg(this JourneyReport report, ReportFormat format)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(format);
        return ReportPictures.Funnel(report, format);
    }

    /// <summary>Draws the daily trend as an SVG picture: entries and conversions per day of entry, with the recovered revenue.</summary>
    /// <param name="report">The report.</param>
    /// <param name="format">The culture and currency to write figures in; invariant when <see langword="null"/>.</param>
    public static string ToTrendSvg(this JourneyReport report, ReportFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        return ReportPictures.Trend(report, format ?? ReportFormat.Invariant);
    }

    /// <summary>
    /// Draws each experiment's variants and the journey against its holdout as an SVG picture: conversion rates with
    /// their confidence intervals, the uplift and whether it is significant. Says so when there is nothing to compare.
    /// </summary>
    /// <param name="report">The report.</param>
    public static string ToComparisonSvg(this JourneyReport report) => report.ToComparisonSvg(ReportFormat.Invariant);

    /// <summary>
    /// Draws each experiment's variants and the journey against its holdout as an SVG picture, with rates, counts,
    /// uplifts in points and p-values written in the shop's culture (<c>+4,9 pts</c>, <c>p = 0,012</c> in fr-FR).
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="format">The culture to write figures in.</param>
    public static string ToComparisonSvg(this JourneyReport report, ReportFormat format)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(format);
        return ReportPictures.Comparison(report, format);
    }

    /// <summary>Writes a self-contained HTML page (no scripts, nothing loaded from elsewhere) with both pictures and the report's tables.</summary>
    /// <param name="report">The report.</param>
    public static string ToHtml(this JourneyReport report) => report.ToHtml(ReportFormat.Invariant);

    /// <summary>
    /// Writes a self-contained HTML page (no scripts, nothing loaded from elsewhere) in the shop's culture and currency:
    /// the funnel, the daily trend, the comparisons, the incremental revenue the holdout implies, and the report's tables,
    /// every figure labelled with its period.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="format">The culture and currency to write figures in.</param>
    public static string ToHtml(this JourneyReport report, ReportFormat format)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(format);
        var html = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(Html(report.JourneyName)).Append(" report</title>\n")
            .Append("<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
            .Append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}.yes{color:#1b7f3b;font-weight:bold}</style>\n")
            .Append("</head>\n<body>\n<h1>Journey ").Append(Html(report.JourneyName)).Append("</h1>\n<p>").Append(Html(ReportPictures.Period(report))).Append("</p>\n")
            .Append("<table>\n<tr><th>entered</th><th>converted</th><th>conversion rate</th><th>attributed to a message</th><th>revenue</th><th>recovered revenue</th><th>completed</th><th>exited</th><th>active</th></tr>\n<tr>")
            .Append(Cells(Count(report.Entered), Count(report.Converted), format.Percent(report.ConversionRate), Count(report.AttributedConversions), Money(report.Revenue), Money(report.RecoveredRevenue), Count(report.Completed), Count(report.Exited), Count(report.Active)))
            .Append("</tr>\n</table>\n<figure>\n").Append(report.ToFunnelSvg(format)).Append("</figure>\n<figure>\n").Append(report.ToTrendSvg(format)).Append("</figure>\n")
            .Append("<h2>Steps</h2>\n<table>\n<tr><th>step</th><th>channel</th><th>sent</th><th>skipped</th><th>held out</th><th>failed</th><th>converted</th><th>revenue</th></tr>\n");
        foreach (var step in report.Steps)
        {
            html.Append("<tr>").Append(Cells(step.StepId, step.Channel, Count(step.Sent), Count(step.Skipped), Count(step.HeldOut), Count(step.Failed), Count(step.Converted), Money(step.Revenue))).Append("</tr>\n");
        }

        if (report.CouponSteps.Count > 0)
        {
            html.Append("</table>\n<h2>Coupon steps</h2>\n<table>\n<tr><th>step</th><th>action</th><th>issued</th><th>raised</th><th>revoked</th><th>withheld</th><th>held out</th><th>skipped</th><th>failed</th></tr>\n");
            foreach (var coupon in report.CouponSteps)
            {
                html.Append("<tr>").Append(Cells(coupon.StepId, coupon.Action, Count(coupon.Issued), Count(coupon.Raised), Count(coupon.Revoked), Count(coupon.Withheld), Count(coupon.HeldOut), Count(coupon.Skipped), Count(coupon.Failed))).Append("</tr>\n");
            }
        }

        html.Append("</table>\n<h2>Channels</h2>\n<table>\n<tr><th>channel</th><th>sent</th><th>skipped</th><th>held out</th><th>failed</th><th>converted</th><th>revenue</th></tr>\n");
        foreach (var channel in report.Channels)
        {
            html.Append("<tr>").Append(Cells(channel.Channel, Count(channel.Sent), Count(channel.Skipped), Count(channel.HeldOut), Count(channel.Failed), Count(channel.Converted), Money(channel.Revenue))).Append("</tr>\n");
        }

        html.Append("</table>\n<h2>Experiments and holdout</h2>\n<figure>\n").Append(report.ToComparisonSvg(format)).Append("</figure>\n");
        if (report.Holdout?.IncrementalRevenue is { } incremental)
        {
            html.Append("<p>Incremental revenue implied by the holdout (").Append(Html(ReportPictures.Period(report))).Append("): <strong>")
                .Append(Html(format.Money(incremental.Estimate))).Append("</strong> (").Append(Html(format.Percent(incremental.ConfidenceLevel))).Append(" interval ")
                .Append(Html(format.Money(incremental.Lower))).Append(" to ").Append(Html(format.Money(incremental.Upper))).Append(").</p>\n");
        }

        html
            .Append("<table>\n<tr><th>group</th><th>entered</th><th>converted</th><th>rate</th><th>revenue</th><th>uplift</th><th>")
            .Append(Html(format.Percent(report.ConfidenceLevel))).Append(" interval</th><th>p-value</th><th>significant</th></tr>\n");
        foreach (var experiment in report.Experiments)
        {
            foreach (var variant in experiment.Variants)
            {
                Comparison($"{experiment.Name} {variant.Name}", variant.Assigned, variant.Converted, variant.ConversionRate, variant.Revenue, variant.VersusOthers);
            }
        }

        if (report.Holdout is { } holdout)
        {
            Comparison(holdout.Journey.Name, holdout.Journey.Entered, holdout.Journey.Converted, holdout.Journey.ConversionRate, holdout.Journey.Revenue, holdout.Uplift);
            Comparison(holdout.Holdout.Name, holdout.Holdout.Entered, holdout.Holdout.Converted, holdout.Holdout.ConversionRate, holdout.Holdout.Revenue, null);
        }

        return html.Append("</table>\n<p>Uplift: a variant against the other variants pooled, the journey against its holdout. ")
            .Append("Significance by a two-sided two-proportion z-test; intervals are Wald intervals of the difference.</p>\n</body>\n</html>\n").ToString();

        void Comparison(string name, int entered, int converted, double rate, decimal revenue, Uplift? uplift)
        {
            html.Append("<tr>").Append(Cells(
                name,
                Count(entered),
                Count(converted),
                format.Percent(rate),
                Money(revenue),
                uplift is null ? string.Empty : ReportPictures.Points(uplift.Difference, format),
                uplift is null ? string.Empty : $"{ReportPictures.Points(uplift.Lower, format)} to {ReportPictures.Points(uplift.Upper, format)}",
                uplift is null ? string.Empty : ReportPictures.PValue(uplift.PValue, format)));
            html.Append(uplift is null ? "<td></td>" : uplift.IsSignificant ? "<td class=\"yes\">yes</td>" : "<td>no</td>").Append("</tr>\n");
        }

        static string Cells(params string[] values) => string.Concat(values.Select(v => $"<td>{Html(v)}</td>"));

        string Count(int value) => format.Count(value);

        string Money(decimal value) => format.Money(value);

        static string Html(string value) => WebUtility.HtmlEncode(value);
    }

    internal static string Format(NodaTime.Instant instant) => InstantPattern.ExtendedIso.Format(instant);
}
