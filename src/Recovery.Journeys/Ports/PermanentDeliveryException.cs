namespace Recovery.Journeys.Ports;

/// <summary>
/// Thrown by a channel when a message can never be delivered as it is (an invalid address, a rejected request):
/// the engine does not retry it, and falls back to the step's next channel if it has one. Any other exception is
/// taken as transient and retried with backoff.
/// </summary>
public sealed class PermanentDeliveryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PermanentDeliveryException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Why the message cannot be delivered; no personal data.</param>
    public PermanentDeliveryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">Why the message cannot be delivered; no personal data.</param>
    /// <param name="innerException">The provider's error.</param>
    public PermanentDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
