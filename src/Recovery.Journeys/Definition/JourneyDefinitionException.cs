namespace Recovery.Journeys.Definition;

/// <summary>A journey definition is invalid. The message names the journey and, where there is one, the step.</summary>
public sealed class JourneyDefinitionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JourneyDefinitionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public JourneyDefinitionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public JourneyDefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal JourneyDefinitionException(string journeyName, string? stepId, string problem, Exception? innerException = null)
        : base(Format(journeyName, stepId, problem), innerException)
    {
        JourneyName = journeyName;
        StepId = stepId;
    }

    /// <summary>The journey whose definition is invalid.</summary>
    public string? JourneyName { get; }

    /// <summary>The step at fault, or <see langword="null"/> when the fault is the journey's.</summary>
    public string? StepId { get; }

    private static string Format(string journeyName, string? stepId, string problem) =>
        stepId is null ? $"Journey '{journeyName}': {problem}" : $"Journey '{journeyName}', step '{stepId}': {problem}";
}
