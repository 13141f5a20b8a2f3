using System.Diagnostics.CodeAnalysis;
using NodaTime;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Templating;

/// <summary>The journey run as a template sees it (<c>{{journey.*}}</c>).</summary>
public sealed class TemplateJourney
{
    private readonly JourneyInstanceId _id;
    private string? _instanceId;

    /// <summary>Creates an empty journey run; set every required property.</summary>
    public TemplateJourney()
    {
    }

    // The engine's: the instance id is written as text only if a template reads it.
    [SetsRequiredMembers]
    internal TemplateJourney(string name, string step, JourneyInstanceId instanceId, Instant startedAt, Duration elapsed)
    {
        Name = name;
        Step = step;
        _id = instanceId;
        InstanceId = null!; // Written from _id when first read.
        StartedAt = startedAt;
        Elapsed = elapsed;
    }

    /// <summary>The journey's name.</summary>
    public required string Name { get; init; }

    /// <summary>The id of the step rendering the message.</summary>
    public required string Step { get; init; }

    /// <summary>The instance id (32 hexadecimal digits), handy in tracking links.</summary>
    public required string InstanceId
    {
        get => _instanceId ??= _id.ToString();
        init => _instanceId = value;
    }

    /// <summary>When the journey started.</summary>
    public required Instant StartedAt { get; init; }

    /// <summary>Time since the journey started.</summary>
    public required Duration Elapsed { get; init; }

    /// <summary>Whole minutes since the journey started.</summary>
    public long ElapsedMinutes => (long)Elapsed.TotalMinutes;
}
