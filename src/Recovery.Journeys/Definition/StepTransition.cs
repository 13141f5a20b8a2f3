namespace Recovery.Journeys.Definition;

/// <summary>A way out of a step.</summary>
/// <param name="Label">What takes it: empty for the only way, <c>then</c>/<c>else</c> for a branch, <c>event</c>/<c>timeout</c> for a wait, a variant for an experiment.</param>
/// <param name="TargetStepId">The step it leads to, or <see langword="null"/> when it ends the journey.</param>
public readonly record struct StepTransition(string Label, string? TargetStepId);
