using System.Text;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Definition;

/// <summary>Writes a definition out for people: a few lines of text, or a Mermaid flowchart.</summary>
internal static class JourneyDiagram
{
    public static string Describe(JourneyDefinition journey)
    {
        var text = new StringBuilder()
            .Append("Journey '").Append(journey.Name).Append("' v").Append(journey.Version)
            .Append(": when ").Append(journey.EventType.Name)
            .Append(journey.EntryFilter is null ? string.Empty : $" [{journey.EntryFilter}]")
            .AppendLine();
        foreach (var step in journey.Steps)
        {
            text.Append("  ").Append(step);
            if (step.Transitions.Count > 1)
            {
                text.Append(' ').AppendJoin(", ", step.Transitions.Select(t => $"{t.Label} -> {t.TargetStepId ?? "end"}"));
            }

            text.AppendLine();
        }

        foreach (var exit in journey.Exits)
        {
            text.Append("  exit on ").AppendLine(exit.ToString());
        }

        if (journey.HoldoutPercent > 0)
        {
            text.Append("  holdout ").Append(journey.HoldoutPercent).AppendLine("%");
        }

        return text.ToString();
    }

    public static string ToMermaid(JourneyDefinition journey)
    {
        var steps = journey.Steps;
        var exits = journey.Exits;
        var text = new StringBuilder("flowchart TD\n");
        var node = steps.Select((s, i) => (s.Id, Node: $"s{i}")).ToDictionary(p => p.Id, p => p.Node, StringComparer.Ordinal);
        text.Append("  start([\"").Append(journey.EventType.Name)
            .Append(journey.EntryFilter is null ? string.Empty : $"<br/>{Escape(journey.EntryFilter)}")
            .Append(journey.HoldoutPercent > 0 ? $"<br/>holdout {journey.HoldoutPercent}%" : string.Empty).Append("\"])\n");
        var goals = string.Join(" or ", exits.Where(e => e.IsConversion).Select(e => e.EventType.Name));
        foreach (var step in steps)
        {
            var shape = step.Transitions.Count > 1 ? ("{\"", "\"}") : ("[\"", "\"]");
            text.Append("  ").Append(node[step.Id]).Append(shape.Item1).Append(Escape(step.Id)).Append("<br/>").Append(step.Channel).Append(shape.Item2).Append('\n');
        }

        Edge("start", string.Empty, steps[0].Id);
        foreach (var step in steps)
        {
            foreach (var transition in step.Transitions)
            {
                Edge(node[step.Id], transition.Label, transition.TargetStepId);
            }
        }

        for (var i = 0; i < exits.Count; i++)
        {
            text.Append("  exit").Append(i).Append("{{\"").Append(exits[i].EventType.Name).Append("\"}} -.->|")
                .Append(exits[i].IsConversion ? "converted" : "exited").Append("| end").Append(i).Append("([")
                .Append(exits[i].IsConversion ? "converted" : "exited").Append("])\n");
        }

        return text.ToString();

        void Edge(string from, string label, string? to)
        {
            // After its last step an instance listens for its goal for the attribution window.
            var timing = to is not null ? journey.FindStep(to)!.Timing.ToString()
                : goals.Length > 0 ? $"listens {DurationText.Format(journey.AttributionWindow)} for {goals}"
                : null;
            var words = string.Join(": ", new[] { label, timing == "immediately" ? null : timing }.Where(w => !string.IsNullOrEmpty(w)));
            text.Append("  ").Append(from).Append(" -->").Append(words.Length == 0 ? " " : $"|\"{Escape(words)}\"| ")
                .Append(to is null ? "done([completed])" : node[to]).Append('\n');
        }
    }

    private static string Escape(string value) =>
        value.Replace("\"", "#quot;", StringComparison.Ordinal).Replace(">", "#gt;", StringComparison.Ordinal).Replace("<", "#lt;", StringComparison.Ordinal);
}
