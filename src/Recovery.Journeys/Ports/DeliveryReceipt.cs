namespace Recovery.Journeys.Ports;

/// <summary>What a channel did with a message: sent it, or skipped it for a stated reason.</summary>
public readonly record struct DeliveryReceipt
{
    private DeliveryReceipt(bool isSent, string? reason, string? providerMessageId)
    {
        IsSent = isSent;
        Reason = reason;
        ProviderMessageId = providerMessageId;
    }

    /// <summary>Whether the message was handed to the provider.</summary>
    public bool IsSent { get; }

    /// <summary>Why the message was skipped; <see langword="null"/> when sent.</summary>
    public string? Reason { get; }

    /// <summary>The provider's id for the message, when it gives one.</summary>
    public string? ProviderMessageId { get; }

    /// <summary>The message was handed to the provider.</summary>
    /// <param name="providerMessageId">The provider's id for the message, if any.</param>
    public static DeliveryReceipt Sent(string? providerMessageId = null) => new(true, null, providerMessageId);

    /// <summary>The message was deliberately not sent (no device, unsubscribed, ...).</summary>
    /// <param name="reason">Why, in words an operator understands. Must not contain personal data.</param>
    public static DeliveryReceipt Skipped(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(false, reason, null);
    }
}
