using System.Globalization;
using System.Text;
using NodaTime;
using NodaTime.Text;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Testing;

/// <summary>
/// What happened to one correlation key, told for a test that failed: each instance with its status and timeline, the
/// starts that were suppressed, and why a given step sent nothing.
/// </summary>
internal sealed class JourneyStory(
    string correlationKey,
    Instant now,
    IReadOnlyList<JourneyStory.Chapter> chapters,
    IReadOnlyList<SuppressedStart> suppressed,
    IReadOnlyList<JourneyDefinition> journeys)
{
    private static readonly DurationPattern Offset = DurationPattern.CreateWithInvariantCulture("+D:hh:mm:ss");

    private static readonly JourneyRecordKind[] Endings =
        [JourneyRecordKind.Converted, JourneyRecordKind.Exited, JourneyRecordKind.Completed, JourneyRecordKind.Refused];

    public static string Format(Instant instant) => InstantPattern.ExtendedIso.Format(instant);

    /// <summary>Why <paramref name="stepId"/> sent nothing for the key, as the end of "Expected ..., but ...".</summary>
    public string WhyNotSent(string stepId)
    {
        if (chapters.Count == 0)
        {
            return suppressed.Count > 0
                ? $"no instance started for it ({string.Join("; ", suppressed.Select(s => $"{s.JourneyName}: {s.Reason}"))})"
                : "no instance started for it: no trigger with that correlation key was published";
        }

        var withStep = chapters.Where(c => c.Journey?.FindStep(stepId) is not null).ToList();
        if (withStep.Count == 0)
        {
            var steps = chapters.Select(c => c.Journey).OfType<JourneyDefinition>().Distinct()
                .Select(j => $"{j.Name}: {string.Join(", ", j.Steps.Select(s => s.Id).Concat(j.ExitSteps.Select(s => s.Id)))}");
            return $"no journey of its instances has a step '{stepId}' ({string.Join("; ", steps)})";
        }

        var chapter = withStep[^1];
        var instance = chapter.Instance;
        if (chapter.Timeline.LastOrDefault(r => r.StepId == stepId && r.Kind != JourneyRecordKind.Converted) is { } last)
        {
            var why = last.Kind switch
            {
                JourneyRecordKind.Skipped => $"it was skipped at {Format(last.At)}: {last.Detail}",
                JourneyRecordKind.Failed => $"it failed at {Format(last.At)}: {last.Detail}",
                JourneyRecordKind.RetryScheduled => $"it failed for now at {Format(last.At)} and waits for a retry: {last.Detail}",
                JourneyRecordKind.Deferred => $"it was deferred at {Format(last.At)}: {last.Detail}",
                JourneyRecordKind.Held => $"it was held: {last.Detail}",
                JourneyRecordKind.Sent => $"its timeline says it was carried out at {Format(last.At)} on '{last.Channel}', which is not a recording channel (a host action, or a channel of the test's own)",
                _ => $"its last entry is {last.Kind} at {Format(last.At)}{(last.Detail is null ? string.Empty : $": {last.Detail}")}",
            };
            return last.Kind is JourneyRecordKind.Deferred or JourneyRecordKind.RetryScheduled or JourneyRecordKind.Held && instance.NextStepId == stepId
                ? $"{why}; it is now due at {FormatDue(instance)}"
                : why;
        }

        if (instance.NextStepId == stepId)
        {
            return $"it is due at {FormatDue(instance)} and the clock reads {Format(now)}: advance the clock";
        }

        if (!instance.IsActive && chapter.Timeline.LastOrDefault(r => Endings.Contains(r.Kind)) is { } end)
        {
            return $"the instance ended before it: {end.Kind} at {Format(end.At)}{(end.Detail is null ? string.Empty : $" ({end.Detail})")}";
        }

        return instance.NextStepId is { } next
            ? $"the instance has not reached it: its next step is '{next}', due at {FormatDue(instance)}"
            : $"the instance did not take it (status {instance.Status})";
    }

    public override string ToString()
    {
        var text = new StringBuilder($"What happened to '{correlationKey}' (the clock reads {Format(now)}):");
        foreach (var chapter in chapters)
        {
            var instance = chapter.Instance;
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {instance.JourneyName} v{instance.JourneyVersion}, instance {instance.Id}, {instance.Status}");
            if (instance.EndReason is { } reason)
            {
                text.Append(CultureInfo.InvariantCulture, $" ({reason})");
            }

            text.Append(':');
            foreach (var record in chapter.Timeline)
            {
                text.AppendLine().Append(CultureInfo.InvariantCulture, $"    {Format(record.At)} {Offset.Format(record.At - instance.StartedAt)}  {record.Kind}");
                if (record.StepId is not null)
                {
                    text.Append(' ').Append(record.StepId);
                }

                if (record.Channel is not null)
                {
                    text.Append(" (").Append(record.Channel).Append(')');
                }

                if (record.Detail is not null)
                {
                    text.Append(": ").Append(record.Detail);
                }
            }
        }

        foreach (var start in suppressed)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  not started in {start.JourneyName}: {start.Reason}");
        }

        if (chapters.Count == 0 && suppressed.Count == 0)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  nothing: journeys {string.Join(", ", journeys.Select(j => j.Name))} have no instance for it");
        }

        return text.ToString();
    }

    private static string FormatDue(JourneyInstance instance) => instance.WakeUpAt is { } due ? Format(due) : "no time yet";

    /// <summary>One instance of the key, with its journey (null when the harness does not run that version) and timeline.</summary>
    public sealed record Chapter(JourneyInstance Instance, JourneyDefinition? Journey, IReadOnlyList<JourneyRecord> Timeline);
}
