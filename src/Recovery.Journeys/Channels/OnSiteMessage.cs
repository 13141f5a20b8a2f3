namespace Recovery.Journeys.Channels;

/// <summary>A rendered on-site or in-app message (an exit-intent layer, a banner), shown on the customer's next visit.</summary>
/// <param name="Placement">Where the site shows it (<c>exit-intent</c>, <c>banner</c>); the host decides what placements exist.</param>
/// <param name="Body">The message text (plain text).</param>
[ChannelName("on-site")]
public sealed record OnSiteMessage(string Placement, string Body)
{
    /// <summary>A title, if any.</summary>
    public string? Title { get; init; }

    /// <summary>The call-to-action button's text, if any.</summary>
    public string? ActionText { get; init; }

    /// <summary>The call-to-action's link, if any.</summary>
    public string? ActionUrl { get; init; }
}
