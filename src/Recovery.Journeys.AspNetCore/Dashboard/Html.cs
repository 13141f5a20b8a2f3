using System.Text;
using System.Text.Encodings.Web;

namespace Recovery.Journeys.AspNetCore.Dashboard;

/// <summary>Writes HTML: every text and attribute value goes through <see cref="Encode"/>, nothing else is raw but the pages' own markup.</summary>
internal static class Html
{
    /// <summary>Text or an attribute value, encoded.</summary>
    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? string.Empty);

    /// <summary>A query-string value, encoded.</summary>
    public static string Query(string? text) => Uri.EscapeDataString(text ?? string.Empty);

    /// <summary>A table: a caption, the headers, and rows of cells that are already HTML.</summary>
    public static void Table(StringBuilder html, string caption, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string? cssClass = null)
    {
        html.Append("<div class=\"scroll\"><table").Append(cssClass is null ? string.Empty : $" class=\"{cssClass}\"").Append("><caption>").Append(Encode(caption)).Append("</caption><thead><tr>");
        foreach (var header in headers)
        {
            html.Append("<th scope=\"col\">").Append(Encode(header)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        var any = false;
        foreach (var row in rows)
        {
            any = true;
            html.Append("<tr>");
            for (var i = 0; i < row.Count; i++)
            {
                html.Append(i == 0 ? "<th scope=\"row\">" : "<td>").Append(row[i]).Append(i == 0 ? "</th>" : "</td>");
            }

            html.Append("</tr>");
        }

        if (!any)
        {
            html.Append("<tr><td colspan=\"").Append(headers.Count).Append("\">Nothing yet.</td></tr>");
        }

        html.Append("</tbody></table></div>");
    }

    /// <summary>A POST form with the antiforgery field, its inner HTML and a submit button.</summary>
    public static void Form(StringBuilder html, DashboardContext context, string action, string inner, string button, bool danger = false)
    {
        html.Append("<form method=\"post\" action=\"").Append(Encode(action)).Append("\">")
            .Append("<input type=\"hidden\" name=\"").Append(Encode(context.AntiforgeryField)).Append("\" value=\"").Append(Encode(context.AntiforgeryToken)).Append("\">")
            .Append(inner)
            .Append("<button type=\"submit\"").Append(danger ? " class=\"danger\"" : string.Empty).Append('>').Append(Encode(button)).Append("</button></form>");
    }
}
