using Recovery.Journeys.Definition;

namespace Recovery.Journeys.Reports;

/// <summary>Which experiment variant's path each step of a journey is on, so pictures can put A/B arms side by side.</summary>
internal static class ExperimentArms
{
    public static Dictionary<string, (string? Experiment, string? Variant)> Of(JourneyDefinition journey)
    {
        var arms = new Dictionary<string, (string? Experiment, string? Variant)>(StringComparer.Ordinal);

        // Outer experiments first (the journey's order), so a nested experiment's steps end up with the innermost one.
        foreach (var experiment in journey.Steps.OfType<ExperimentStep>())
        {
            for (var i = 0; i < experiment.Variants.Count; i++)
            {
                var queue = new Queue<string?>([experiment.Targets[i]]);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (queue.TryDequeue(out var id))
                {
                    // The paths meet again at the experiment's next step: from there on, every customer passes.
                    if (id is null || id == experiment.NextStepId || !seen.Add(id) || journey.FindStep(id) is not { } step)
                    {
                        continue;
                    }

                    arms[id] = (experiment.Id, experiment.Variants[i].Name);
                    foreach (var transition in step.Transitions)
                    {
                        queue.Enqueue(transition.TargetStepId);
                    }
                }
            }
        }

        return arms;
    }
}
