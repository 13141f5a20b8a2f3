using System.Text;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Reports;

namespace Recovery.Journeys.AspNetCore.Dashboard;

/// <summary>One journey: its state and actions, funnel, steps, coupon steps, experiments and holdout, diagram and trend.</summary>
internal static class JourneyPage
{
    public static string Render(DashboardContext context, DashboardPeriod period, JourneyDefinition journey, JourneyReport report, JourneyPause? pause)
    {
        var html = new StringBuilder();
        var format = context.Format;
        var self = context.Link("journey/" + Html.Query(journey.Name));
        html.Append("<p>Version ").Append(journey.Version).Append(", triggered by <code>").Append(Html.Encode(journey.EventType.Name)).Append("</code>: ")
            .Append(JourneysPage.State(pause));
        if (pause is not null)
        {
            html.Append(" since ").Append(Html.Encode(context.Time(pause.PausedAt)));
        }

        html.Append(". <a href=\"").Append(Html.Encode(self + "/preview")).Append("\">Preview its messages</a>.</p>");
        Actions(html, context, journey, pause, self);
        JourneysPage.PeriodPicker(html, period, self);

        html.Append("<p>").Append(format.Count(report.Entered)).Append(" entered ").Append(Html.Encode(period.Label(format.Culture))).Append(", ")
            .Append(format.Count(report.Active)).Append(" still active, ").Append(format.Count(report.Converted)).Append(" converted (")
            .Append(format.Percent(report.ConversionRate)).Append("), ").Append(Html.Encode(format.Money(report.RecoveredRevenue))).Append(" recovered.</p>");

        html.Append("<h2>Funnel</h2><figure>").Append(report.ToFunnelSvg(format)).Append("</figure>");
        Steps(html, context, report);
        CouponSteps(html, context, report);
        Experiments(html, context, report);
        Holdout(html, context, report);
        html.Append("<h2>Daily trend</h2><figure>").Append(report.ToTrendSvg(format)).Append("</figure>");
        html.Append("<h2>Diagram</h2><pre>").Append(Html.Encode(journey.Describe())).Append("</pre>")
            .Append("<details><summary>Mermaid source</summary><pre>").Append(Html.Encode(journey.ToMermaid())).Append("</pre></details>");
        return DashboardLayout.Page(context, journey.Name, html.ToString());
    }

    private static void Actions(StringBuilder html, DashboardContext context, JourneyDefinition journey, JourneyPause? pause, string self)
    {
        if (!context.CanAct)
        {
            return;
        }

        if (pause is null)
        {
            Html.Form(
                html,
                context,
                self + "/pause",
                "<label><input type=\"checkbox\" name=\"admit\" value=\"true\" checked> keep admitting new instances (their steps are held too)</label>",
                "Pause " + journey.Name);
        }
        else
        {
            Html.Form(html, context, self + "/resume", string.Empty, "Resume " + journey.Name);
        }
    }

    private static void Steps(StringBuilder html, DashboardContext context, JourneyReport report)
    {
        var format = context.Format;
        html.Append("<h2>Steps</h2>");
        Html.Table(
            html,
            "Each step's outcomes; converted counts the conversions after the step sent",
            ["Step", "Channel", "Arm", "Sent", "Skipped", "Held out", "Failed", "Converted after", "Revenue"],
            report.Steps.Select(s => (IReadOnlyList<string>)
            [
                Html.Encode(s.StepId),
                Html.Encode(s.Channel),
                s.Experiment is null ? string.Empty : Html.Encode($"{s.Experiment}: {s.Variant}"),
                format.Count(s.Sent),
                format.Count(s.Skipped) + (s.SkippedBy.Count == 0 ? string.Empty
                    : " <span class=\"muted\">(" + string.Join(", ", s.SkippedBy.Select(r => Html.Encode($"{r.Reason}: {format.Count(r.Count)}"))) + ")</span>"),
                format.Count(s.HeldOut),
                format.Count(s.Failed),
                format.Count(s.Converted),
                Html.Encode(format.Money(s.Revenue)),
            ]));
    }

    private static void CouponSteps(StringBuilder html, DashboardContext context, JourneyReport report)
    {
        if (report.CouponSteps.Count == 0)
        {
            return;
        }

        var format = context.Format;
        html.Append("<h2>Coupon steps</h2>");
        Html.Table(
            html,
            "Each coupon step's outcomes; withheld counts the incentive-abuse guards, held out the holdout",
            ["Step", "Action", "Arm", "Issued", "Raised", "Revoked", "Withheld", "Held out", "Skipped", "Failed"],
            report.CouponSteps.Select(c => (IReadOnlyList<string>)
            [
                Html.Encode(c.StepId),
                Html.Encode(c.Action),
                c.Experiment is null ? string.Empty : Html.Encode($"{c.Experiment}: {c.Variant}"),
                format.Count(c.Issued),
                format.Count(c.Raised),
                format.Count(c.Revoked),
                format.Count(c.Withheld),
                format.Count(c.HeldOut),
                format.Count(c.Skipped),
                format.Count(c.Failed),
            ]));
    }

    private static void Experiments(StringBuilder html, DashboardContext context, JourneyReport report)
    {
        var format = context.Format;
        foreach (var experiment in report.Experiments)
        {
            html.Append("<h2>Experiment ").Append(Html.Encode(experiment.Name)).Append("</h2>");
            Html.Table(
                html,
                "Each variant against the others together",
                ["Variant", "Weight", "Assigned", "Converted", "Conversion", "Uplift", "Interval", "p-value", "Revenue"],
                experiment.Variants.Select(v => (IReadOnlyList<string>)
                [
                    Html.Encode(v.Name),
                    $"{v.Weight} %",
                    format.Count(v.Assigned),
                    format.Count(v.Converted),
                    format.Percent(v.ConversionRate),
                    .. UpliftCells(format, v.VersusOthers),
                    Html.Encode(format.Money(v.Revenue)),
                ]));
        }
    }

    private static void Holdout(StringBuilder html, DashboardContext context, JourneyReport report)
    {
        if (report.Holdout is not { } holdout)
        {
            return;
        }

        var format = context.Format;
        html.Append("<h2>Holdout (").Append(holdout.Percent).Append(" % of customers receive nothing)</h2>");
        Html.Table(
            html,
            "The journey against its holdout",
            ["Group", "Entered", "Converted", "Conversion", "Revenue"],
            new[] { holdout.Journey, holdout.Holdout }.Select(g => (IReadOnlyList<string>)
            [
                Html.Encode(g.Name),
                format.Count(g.Entered),
                format.Count(g.Converted),
                format.Percent(g.ConversionRate),
                Html.Encode(format.Money(g.Revenue)),
            ]));
        var cells = UpliftCells(format, holdout.Uplift);
        html.Append("<p>Uplift ").Append(cells[0]).Append(", interval ").Append(cells[1]).Append(", p-value ").Append(cells[2]).Append(".</p>");
        if (holdout.IncrementalRevenue is { } incremental)
        {
            html.Append("<p><strong>Incremental revenue</strong> the holdout implies: ").Append(Html.Encode(format.Money(incremental.Estimate)))
                .Append(" (").Append(Html.Encode(format.Money(incremental.Lower))).Append(" to ").Append(Html.Encode(format.Money(incremental.Upper)))
                .Append(" at ").Append(format.Percent(incremental.ConfidenceLevel)).Append("), ").Append(Html.Encode(format.Money(incremental.PerCustomer))).Append(" per customer.</p>");
        }
        else
        {
            html.Append("<p class=\"muted\">Incremental revenue needs at least two customers in each group.</p>");
        }
    }

    /// <summary>The uplift in points, its interval, and its p-value; dashes without enough data.</summary>
    private static string[] UpliftCells(ReportFormat format, Uplift? uplift) => uplift is null
        ? ["–", "–", "–"]
        :
        [
            Points(format, uplift.Difference) + (uplift.IsSignificant ? " <strong>significant</strong>" : string.Empty),
            $"{Points(format, uplift.Lower)} to {Points(format, uplift.Upper)}",
            uplift.PValue.ToString("0.000", format.Culture),
        ];

    private static string Points(ReportFormat format, double difference) =>
        $"{(difference >= 0 ? "+" : "−")}{Math.Abs(difference * 100).ToString("0.0", format.Culture)} pt";
}
