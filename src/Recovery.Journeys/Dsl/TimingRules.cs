using NodaTime;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Dsl;

/// <summary>
/// The journey's timing rules: when its messages to the customer may go out. They hold back messages to the customer
/// only; list changes, webhooks and host actions go out on time.
/// </summary>
public static class TimingRules
{
    /// <summary>
    /// Keeps messages to the customer out of a daily window in the customer's time zone (e.g. 21:00 to 08:00): a step
    /// due inside it is deferred to the window's end, never dropped. Applies to every channel that speaks to the
    /// customer, or to the given ones.
    /// </summary>
    /// <param name="journey">The journey.</param>
    /// <param name="from">When the quiet window starts, local time.</param>
    /// <param name="to">When it ends, local time; before <paramref name="from"/> for a window across midnight.</param>
    /// <param name="channels">The channels it applies to (<c>sms</c>, <c>push</c>); all when none are given.</param>
    public static JourneyBuilder<TEvent> QuietHours<TEvent>(this JourneyBuilder<TEvent> journey, LocalTime from, LocalTime to, params string[] channels)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(journey);
        var scope = journey.Scope;
        scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(channels);
        if (from == to)
        {
            throw scope.Fail(null, $"the quiet hours {from:HH:mm}-{to:HH:mm} are empty");
        }

        scope.Blueprint.QuietHours.Add(new Timing.QuietHours(from, to) { Channels = channels.Length == 0 ? null : channels });
        return journey;
    }

    /// <summary>
    /// Holds messages while the customer is active on the site (a visit less than <paramref name="quietFor"/> ago,
    /// per the host's <c>ICustomerActivity</c>): someone still browsing needs no reminder yet. A held step is deferred
    /// until the customer has been quiet that long.
    /// </summary>
    /// <param name="journey">The journey.</param>
    /// <param name="quietFor">How long the customer must have been inactive; positive.</param>
    public static JourneyBuilder<TEvent> WaitWhileActive<TEvent>(this JourneyBuilder<TEvent> journey, Duration quietFor)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(journey);
        var scope = journey.Scope;
        scope.EnsureNotBuilt();
        scope.Blueprint.ActivityQuietPeriod = quietFor > Duration.Zero
            ? scope.WithinCeiling(null, "WaitWhileActive's period", quietFor)
            : throw scope.Fail(null, $"WaitWhileActive needs a positive period, was {DurationText.Format(quietFor)}");
        return journey;
    }

    /// <summary>Holds messages while the customer is active on the site.</summary>
    /// <param name="journey">The journey.</param>
    /// <param name="quietFor">How long the customer must have been inactive; positive.</param>
    public static JourneyBuilder<TEvent> WaitWhileActive<TEvent>(this JourneyBuilder<TEvent> journey, TimeSpan quietFor)
        where TEvent : class => journey.WaitWhileActive(Duration.FromTimeSpan(quietFor));
}
