namespace Recovery.Journeys.Definition;

/// <summary>How a step with several channels uses them.</summary>
public enum ChannelMode
{
    /// <summary>One channel (or a host action).</summary>
    Single = 0,

    /// <summary>The first channel the customer can be reached on and that works: "SMS, or e-mail if there is no phone number".</summary>
    Fallback = 1,

    /// <summary>Every channel the customer can be reached on, together: "app push and browser push".</summary>
    FanOut = 2,
}
