namespace Recovery.Journeys.Channels;

/// <summary>A rendered webhook call: an HTTP POST of <paramref name="Body"/> to <paramref name="Url"/>.</summary>
/// <param name="Url">The endpoint.</param>
/// <param name="Body">The request body (JSON unless <see cref="ContentType"/> says otherwise).</param>
[ChannelName("webhook", IsCustomerMessage = false)]
public sealed record WebhookMessage(string Url, string Body)
{
    /// <summary>The body's media type.</summary>
    /// <value>The default is <c>application/json</c>.</value>
    public string ContentType { get; init; } = "application/json";
}
