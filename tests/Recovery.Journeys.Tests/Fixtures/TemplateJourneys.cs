using NodaTime;
using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Tests.Fixtures;

/// <summary>The <c>journey</c> part of a template model the templating tests render with.</summary>
public static class TemplateJourneys
{
    /// <summary>Journey <c>t</c>, step <c>push-1</c>, started at 09:00 UTC on 5 January 2026, 65 minutes ago.</summary>
    public static TemplateJourney Push1After65Minutes() => new()
    {
        Name = "t",
        Step = "push-1",
        InstanceId = "0123456789abcdef0123456789abcdef",
        StartedAt = Instant.FromUtc(2026, 1, 5, 9, 0),
        Elapsed = Duration.FromMinutes(65),
    };
}
