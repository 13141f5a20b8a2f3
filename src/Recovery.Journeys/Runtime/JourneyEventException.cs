namespace Recovery.Journeys.Runtime;

/// <summary>An event cannot be handled by a journey (no correlation key, a filter that throws). Names the journey.</summary>
public sealed class JourneyEventException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JourneyEventException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public JourneyEventException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public JourneyEventException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal JourneyEventException(string journeyName, Type eventType, string problem, Exception? innerException = null)
        : base($"Journey '{journeyName}' cannot handle {eventType.Name}: {problem}", innerException)
    {
        JourneyName = journeyName;
        EventType = eventType;
    }

    /// <summary>The journey that rejected the event.</summary>
    public string? JourneyName { get; }

    /// <summary>The rejected event's type.</summary>
    public Type? EventType { get; }
}
