namespace Recovery.Journeys.Webhooks;

/// <summary>
/// Settings of the <see cref="WebhookChannel"/>. Checked by <c>UseWebhooks</c> when the host starts, and by the
/// channel's constructor, with every problem listed at once.
/// </summary>
/// <remarks>The channel keeps a copy: changing the object after the channel was created has no effect.</remarks>
public sealed class WebhookOptions
{
    /// <summary>
    /// The secret shared with the receivers, which signs every call (HMAC-SHA256 over its UTF-8 bytes). Required, at
    /// least 16 characters; 32 random bytes in Base64 is a good choice. Keep it out of source control.
    /// </summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>
    /// How long a call may take, from sending the request to receiving the response's headers, measured on the
    /// injected <see cref="TimeProvider"/>. A call that takes longer fails with a <see cref="TimeoutException"/>, which
    /// the engine retries.
    /// </summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A copy of every option, one added later included.</summary>
    internal WebhookOptions Copy() => (WebhookOptions)MemberwiseClone();
}
