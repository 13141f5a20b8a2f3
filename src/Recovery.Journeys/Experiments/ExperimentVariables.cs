namespace Recovery.Journeys.Experiments;

/// <summary>The names of the variables that keep an instance's groups.</summary>
internal static class ExperimentVariables
{
    /// <summary>The channel of an experiment step and of its assignment records.</summary>
    public const string Channel = "experiment";

    /// <summary>The variable of an experiment: <c>experiment.push-text</c> = <c>B</c>.</summary>
    public static string Of(string experiment) => $"experiment.{experiment}";
}
