using NodaTime;

namespace Recovery.Journeys.Templating;

/// <summary>The journey run as a template sees it (<c>{{journey.*}}</c>).</summary>
public sealed class TemplateJourney
{
    /// <summary>The journey's name.</summary>
    public required string Name { get; init; }

    /// <summary>The id of the step rendering the message.</summary>
    public required string Step { get; init; }

    /// <summary>The instance id (32 hexadecimal digits), handy in tracking links.</summary>
    public required string InstanceId { get; init; }

    /// <summary>When the journey started.</summary>
    public required Instant StartedAt { get; init; }

    /// <summary>Time since the journey started.</summary>
    public required Duration Elapsed { get; init; }

    /// <summary>Whole minutes since the journey started.</summary>
    public long ElapsedMinutes => (long)Elapsed.TotalMinutes;
}
