using System.Text;
using System.Text.Json;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Runtime;

namespace Recovery.Journeys.AspNetCore.Dashboard;

/// <summary>Every message of every step of a journey, rendered per culture and channel: e-mails in a sandboxed frame, SMS with their segments.</summary>
internal static class PreviewPage
{
    /// <summary>One rendering: a step in a culture, or why it could not render.</summary>
    public sealed record Rendering(JourneyStep Step, string? Culture, StepPreview? Preview, string? Error);

    public static string Render(DashboardContext context, JourneyDefinition journey, string source, IReadOnlyList<Rendering> renderings, JsonSerializerOptions json)
    {
        var html = new StringBuilder();
        html.Append("<p>").Append(Html.Encode(source)).Append(" Nothing is sent or stored.</p>");
        if (renderings.Count == 0)
        {
            html.Append("<p>No step of this journey sends a message.</p>");
        }

        foreach (var rendering in renderings)
        {
            html.Append("<section><h2>Step ").Append(Html.Encode(rendering.Step.Id)).Append(rendering.Culture is null ? string.Empty : $" ({Html.Encode(rendering.Culture)})")
                .Append(" <span class=\"muted\">").Append(Html.Encode(rendering.Step.Timing.ToString())).Append("</span></h2>");
            if (rendering.Error is { } error)
            {
                html.Append("<p class=\"notice warn\">Could not render: ").Append(Html.Encode(error)).Append("</p>");
            }

            foreach (var message in rendering.Preview?.Messages ?? [])
            {
                html.Append("<h3>").Append(Html.Encode(message.Channel)).Append("</h3>");
                if (message.SkipReason is { } skip)
                {
                    html.Append("<p class=\"muted\">Would be skipped: ").Append(Html.Encode(skip)).Append("</p>");
                }

                Message(html, message.Message, json);
            }

            html.Append("</section>");
        }

        return DashboardLayout.Page(context, $"Preview of {journey.Name} v{journey.Version}", html.ToString());
    }

    private static void Message(StringBuilder html, object? message, JsonSerializerOptions json)
    {
        switch (message)
        {
            case null:
                break;
            case EmailMessage email:
                html.Append("<p><strong>Subject:</strong> ").Append(Html.Encode(email.Subject)).Append("</p>");
                if (email.HtmlBody is { } body)
                {
                    // sandbox with no permission: no script, no form, no navigation of the dashboard; srcdoc keeps it off the network path.
                    html.Append("<iframe sandbox=\"\" title=\"").Append(Html.Encode("E-mail: " + email.Subject)).Append("\" srcdoc=\"").Append(Html.Encode(body)).Append("\"></iframe>");
                }

                if (email.TextBody is { } text)
                {
                    html.Append("<details><summary>Text part</summary><pre>").Append(Html.Encode(text)).Append("</pre></details>");
                }

                break;
            case SmsMessage sms:
                html.Append("<pre>").Append(Html.Encode(sms.Text)).Append("</pre><p>").Append(sms.Text.Length).Append(" characters, ")
                    .Append(sms.Segments).Append(sms.Segments == 1 ? " segment" : " segments").Append(" (").Append(Html.Encode(sms.Encoding.ToString())).Append(").</p>");
                break;
            default:
                html.Append("<pre>").Append(Html.Encode(Json(message, json))).Append("</pre>");
                break;
        }
    }

    /// <summary>A message of a host's own channel as JSON where the options know its type (a source-generated context in an AOT app), else its text.</summary>
    private static string Json(object message, JsonSerializerOptions json)
    {
        try
        {
            return JsonSerializer.Serialize(message, json.GetTypeInfo(message.GetType()));
        }
        catch (NotSupportedException)
        {
            return message.ToString() ?? message.GetType().Name;
        }
    }
}
