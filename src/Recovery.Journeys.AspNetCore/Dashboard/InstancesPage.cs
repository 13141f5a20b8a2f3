using System.Text;
using NodaTime;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.AspNetCore.Dashboard;

/// <summary>Finds instances by order id (the correlation key), customer id or instance id, and erases a customer.</summary>
internal static class InstancesPage
{
    public static string Render(DashboardContext context, string query, IReadOnlyList<JourneyInstance> found, Instant now, int max)
    {
        var html = new StringBuilder();
        html.Append("<form method=\"get\" action=\"").Append(Html.Encode(context.Link("instances"))).Append("\" role=\"search\">")
            .Append("<label>Order id, customer id, correlation key or instance id <input type=\"search\" name=\"q\" value=\"").Append(Html.Encode(query))
            .Append("\" required></label><button type=\"submit\">Search</button></form>");
        if (query.Length > 0)
        {
            Html.Table(
                html,
                found.Count >= max ? $"The first {max} instances matching “{query}”" : $"{found.Count} instance(s) matching “{query}”",
                ["Instance", "Journey", "Key", "Customer", "Started", "State", "Ended"],
                found.Select(i => (IReadOnlyList<string>)
                [
                    $"<a href=\"{Html.Encode(context.Link("instance/" + i.Id))}\">{Html.Encode(i.Id.ToString()[..8])}…</a>",
                    Html.Encode($"{i.JourneyName} v{i.JourneyVersion}"),
                    Html.Encode(i.CorrelationKey),
                    Html.Encode(i.CustomerId),
                    Html.Encode(context.Time(i.StartedAt)),
                    Html.Encode(i.StateAt(now).ToString().ToLowerInvariant()),
                    i.EndedAt is { } ended ? Html.Encode($"{context.Time(ended)}: {i.EndReason}") : string.Empty,
                ]));
        }

        if (context.CanAct)
        {
            html.Append("<h2>Erase a customer</h2><p>Removes every journey instance of the customer, with its trigger event and timeline (the right to erasure). ")
                .Append("Type the customer id twice to confirm; this cannot be undone.</p>");
            Html.Form(
                html,
                context,
                context.Link("customer/erase"),
                "<label>Customer id <input name=\"customer\" required autocomplete=\"off\"></label><label>Again <input name=\"confirm\" required autocomplete=\"off\"></label>",
                "Erase customer",
                danger: true);
        }

        return DashboardLayout.Page(context, "Instances", html.ToString());
    }
}
