namespace Recovery.Journeys.Testing;

/// <summary>
/// A harness expectation failed (<see cref="JourneyTestHarness.ExpectSentAsync"/>); the message says why, with the
/// timeline of the correlation key. Any test framework reports it as a failure.
/// </summary>
public sealed class JourneyExpectationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JourneyExpectationException()
    {
    }

    /// <summary>Creates the exception with its explanation.</summary>
    /// <param name="message">What was expected, what happened instead, and the timeline.</param>
    public JourneyExpectationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its explanation and cause.</summary>
    /// <param name="message">What was expected, what happened instead, and the timeline.</param>
    /// <param name="innerException">The cause.</param>
    public JourneyExpectationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
