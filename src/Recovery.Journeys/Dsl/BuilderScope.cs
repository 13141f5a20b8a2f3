using System.Text.RegularExpressions;
using NodaTime;
using Recovery.Journeys.Definition;

namespace Recovery.Journeys.Dsl;

/// <summary>What every builder of one journey shares: the blueprint, the step ids taken, and whether it was built.</summary>
internal sealed partial class BuilderScope<TEvent>(JourneyBlueprint<TEvent> blueprint)
    where TEvent : class
{
    private readonly HashSet<string> _stepIds = new(StringComparer.Ordinal);

    // How many steps of each kind there are, so that a default id costs the same for the 10,000th step as for the first.
    private readonly Dictionary<string, int> _countByLabel = new(StringComparer.Ordinal);

    public JourneyBlueprint<TEvent> Blueprint { get; } = blueprint;

    public bool Built { get; set; }

    public void EnsureNotBuilt()
    {
        if (Built)
        {
            throw new InvalidOperationException(
                $"Journey '{Blueprint.Name}' was already built; a JourneyBuilder builds once. Start a new one with Journey.When<{typeof(TEvent).Name}>().");
        }
    }

    public JourneyDefinitionException Fail(string? stepId, string problem) => new(Blueprint.Name, stepId, problem);

    /// <summary>Refuses a duration past <see cref="StepTiming.MaxDelay"/>, naming what it is for.</summary>
    public Duration WithinCeiling(string? stepId, string what, Duration duration) =>
        duration <= StepTiming.MaxDelay
            ? duration
            : throw Fail(stepId, $"{what} is {Time.DurationText.Format(duration)}, more than the {Time.DurationText.Format(StepTiming.MaxDelay)} a journey may name");

    /// <summary>Checks a step id and takes it for good.</summary>
    public void Claim(string id, string label)
    {
        if (!StepIdPattern().IsMatch(id))
        {
            throw Fail(id, "the step id is invalid: use 1 to 64 letters, digits, '.', '-' or '_'");
        }

        if (!_stepIds.Add(id))
        {
            throw Fail(id, "another step already has this id; step ids must be unique");
        }

        _countByLabel[label] = _countByLabel.GetValueOrDefault(label) + 1;
    }

    /// <summary>The next free default id for a kind of step: <c>push-1</c>, <c>push-2</c>, ...</summary>
    public string DefaultStepId(string label)
    {
        var number = _countByLabel.GetValueOrDefault(label) + 1;
        while (_stepIds.Contains($"{label}-{number}"))
        {
            number++;
        }

        return $"{label}-{number}";
    }

    public static bool IsName(string name) => ValueNamePattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex StepIdPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex ValueNamePattern();
}
