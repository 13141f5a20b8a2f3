using System.Text;
using NodaTime;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.AspNetCore.Dashboard;

/// <summary>One instance: what it is, its timeline in the viewer's and the customer's zone, cancel and erase.</summary>
internal static class InstancePage
{
    public static string Render(DashboardContext context, JourneyInstance instance, IReadOnlyList<JourneyRecord> timeline, Instant now, DateTimeZone viewerZone)
    {
        var html = new StringBuilder();
        var customerZone = instance.TimeZone is { } id && DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is { } zone ? zone : null;
        html.Append("<dl>")
            .Append(Item("Journey", $"<a href=\"{Html.Encode(context.Link("journey/" + Html.Query(instance.JourneyName)))}\">{Html.Encode(instance.JourneyName)}</a> v{instance.JourneyVersion}"))
            .Append(Item("Correlation key", Html.Encode(instance.CorrelationKey)))
            .Append(Item("Customer", instance.CustomerId is null ? "<span class=\"muted\">none</span>"
                : $"<a href=\"{Html.Encode(context.Link("instances?q=" + Html.Query(instance.CustomerId)))}\">{Html.Encode(instance.CustomerId)}</a>"))
            .Append(Item("State", Html.Encode(instance.StateAt(now).ToString().ToLowerInvariant())
                + (instance.IsActive && instance.NextStepId is { } next ? Html.Encode($": next step {next}" + (instance.WakeUpAt is { } at ? $" at {context.Time(at, viewerZone)}" : string.Empty)) : string.Empty)))
            .Append(Item("Customer's time zone", Html.Encode(customerZone?.Id ?? "unknown")))
            .Append("</dl>");

        html.Append("<form method=\"get\" action=\"").Append(Html.Encode(context.Link("instance/" + instance.Id))).Append("\">")
            .Append("<label>Your time zone <input name=\"tz\" value=\"").Append(Html.Encode(viewerZone.Id)).Append("\" list=\"zones\"></label>")
            .Append("<datalist id=\"zones\"><option value=\"UTC\"><option value=\"").Append(Html.Encode(context.ShopZone.Id)).Append("\"></datalist>")
            .Append("<button type=\"submit\">Show times</button></form>");

        Html.Table(
            html,
            "Timeline",
            ["Your time", "Customer's time", "What", "Step", "Channel", "Detail", "Value"],
            timeline.Select(r => (IReadOnlyList<string>)
            [
                Html.Encode(context.Time(r.At, viewerZone)),
                customerZone is null ? "–" : Html.Encode(context.Time(r.At, customerZone)),
                Html.Encode(r.Kind.ToString()),
                Html.Encode(r.StepId),
                Html.Encode(r.Channel),
                Html.Encode(r.Detail),
                r.Value is { } value ? Html.Encode(context.Format.Money(value)) : string.Empty,
            ]));

        if (context.CanAct && instance.IsActive)
        {
            html.Append("<h2>Cancel</h2><p>Ends the instance as an exit (not a conversion); its pending steps never run and its exit actions do.</p>");
            Html.Form(
                html,
                context,
                context.Link($"instance/{instance.Id}/cancel"),
                "<label>Reason <input name=\"reason\" required maxlength=\"200\" placeholder=\"customer called\"></label>",
                "Cancel instance",
                danger: true);
        }

        return DashboardLayout.Page(context, $"Instance {instance.Id.ToString()[..8]}… of {instance.CorrelationKey}", html.ToString());
    }

    private static string Item(string term, string html) => $"<dt>{Html.Encode(term)}</dt><dd>{html}</dd>";
}
