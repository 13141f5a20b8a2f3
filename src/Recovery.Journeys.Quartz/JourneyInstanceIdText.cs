using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Quartz;

/// <summary>Instance ids as Quartz key names.</summary>
internal static class JourneyInstanceIdText
{
    public static bool TryParse(string text, out JourneyInstanceId id)
    {
        var parsed = Guid.TryParseExact(text, "N", out var value);
        id = new JourneyInstanceId(value);
        return parsed;
    }
}
