using System.Text;

namespace Recovery.Journeys.AspNetCore.Dashboard;

/// <summary>The page around every dashboard page: title, navigation, the access notice, and a small stylesheet (no script).</summary>
internal static class DashboardLayout
{
    private const string Style = """
        :root{color-scheme:light dark;--fg:#1b1f24;--muted:#5b6470;--line:#d5d9de;--accent:#0b5cad;--bad:#b3261e;--ok:#1e7a34;--bg:#fff;--soft:#f3f5f7}
        @media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--muted:#a3abb5;--line:#39404a;--accent:#6cb0ff;--bad:#ff8a80;--ok:#7bd88f;--bg:#15181c;--soft:#1f242a}}
        *{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
        header{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:baseline;padding:.75rem 1rem;border-bottom:1px solid var(--line);background:var(--soft)}
        header strong{font-size:1.1rem}nav a{margin-right:1rem}main{padding:1rem;max-width:72rem;margin:0 auto}
        a{color:var(--accent)}h1{font-size:1.4rem;margin:.25rem 0 1rem}h2{font-size:1.15rem;margin:1.75rem 0 .5rem}
        .scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;margin:.5rem 0}caption{text-align:left;color:var(--muted);padding:.25rem 0}
        th,td{padding:.35rem .6rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}td.n,th.n{text-align:right}
        tbody th{font-weight:600}.notice{padding:.6rem .8rem;border-left:4px solid var(--accent);background:var(--soft);margin:.5rem 0 1rem}
        .warn{border-color:var(--bad)}.muted{color:var(--muted)}.paused{color:var(--bad);font-weight:600}.running{color:var(--ok);font-weight:600}
        form{display:inline-flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.25rem .5rem .25rem 0}
        input,select,button{font:inherit;padding:.35rem .5rem;border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg)}
        button{cursor:pointer;background:var(--accent);color:#fff;border-color:var(--accent)}button.danger{background:var(--bad);border-color:var(--bad)}
        svg{max-width:100%;height:auto}pre{white-space:pre-wrap;background:var(--soft);padding:.75rem;border-radius:4px;overflow-x:auto}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}iframe{width:100%;min-height:26rem;border:1px solid var(--line);background:#fff}.periods a{margin-right:.75rem}.periods a[aria-current]{font-weight:700;text-decoration:none;color:var(--fg)}
        """;

    /// <summary>The whole page.</summary>
    public static string Page(DashboardContext context, string title, string body)
    {
        var html = new StringBuilder(body.Length + 4096);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"robots\" content=\"noindex\"><title>").Append(Html.Encode(title)).Append(" · ").Append(Html.Encode(context.Title)).Append("</title>")
            .Append("<style>").Append(Style).Append("</style></head><body><header><strong>").Append(Html.Encode(context.Title)).Append("</strong>")
            .Append("<nav aria-label=\"Dashboard\"><a href=\"").Append(Html.Encode(context.Link(string.Empty))).Append("\">Journeys</a>")
            .Append("<a href=\"").Append(Html.Encode(context.Link("instances"))).Append("\">Instances</a>")
            .Append("<a href=\"").Append(Html.Encode(context.Link("failures"))).Append("\">Failures</a></nav></header><main>");
        if (context.LocalOnly)
        {
            html.Append("<p class=\"notice\" role=\"note\">This dashboard has no authorization policy, so it answers requests from this machine only. ")
                .Append("Give it one to open it to your team: <code>app.MapRecoveryJourneysDashboard(\"/journeys\").RequireAuthorization(\"policy\")</code>.</p>");
        }

        if (context.ReadOnlyReason is { } why)
        {
            html.Append("<p class=\"notice\" role=\"note\">").Append(Html.Encode(why)).Append("</p>");
        }

        if (context.Notice is { } notice)
        {
            html.Append("<p class=\"notice\" role=\"status\">").Append(Html.Encode(notice)).Append("</p>");
        }

        html.Append("<h1>").Append(Html.Encode(title)).Append("</h1>").Append(body).Append("</main></body></html>");
        return html.ToString();
    }
}
