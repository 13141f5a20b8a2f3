using System.Text;
using NodaTime;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.AspNetCore.Dashboard;

/// <summary>Recent failed and retried steps, per channel, with their errors as the engine recorded them (redacted).</summary>
internal static class FailuresPage
{
    public static string Render(DashboardContext context, Duration window, IReadOnlyList<JourneyRecord> records, int max)
    {
        var html = new StringBuilder();
        html.Append("<p>Failed and retried steps of the last ").Append(window.TotalDays.ToString("0.#", context.Format.Culture))
            .Append(" days, newest first").Append(records.Count >= max ? $" (the latest {max})" : string.Empty)
            .Append(". Errors are written as the engine recorded them, with contact details and secrets redacted.</p>");
        if (records.Count == 0)
        {
            html.Append("<p>No failures.</p>");
        }

        foreach (var channel in records.GroupBy(r => r.Channel ?? "(no channel)").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            html.Append("<h2>").Append(Html.Encode(channel.Key)).Append("</h2>");
            Html.Table(
                html,
                $"{channel.Count(r => r.Kind == JourneyRecordKind.Failed)} failed, {channel.Count(r => r.Kind == JourneyRecordKind.RetryScheduled)} retried",
                ["When", "What", "Journey", "Step", "Instance", "Error"],
                channel.Select(r => (IReadOnlyList<string>)
                [
                    Html.Encode(context.Time(r.At)),
                    r.Kind == JourneyRecordKind.Failed ? "failed" : "retry scheduled",
                    Html.Encode(r.JourneyName),
                    Html.Encode(r.StepId),
                    $"<a href=\"{Html.Encode(context.Link("instance/" + r.InstanceId))}\">{Html.Encode(r.InstanceId.ToString()[..8])}…</a>",
                    Html.Encode(r.Detail),
                ]));
        }

        return DashboardLayout.Page(context, "Failures", html.ToString());
    }
}
