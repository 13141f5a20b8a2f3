namespace Recovery.Journeys.Comparison.Shop;

/// <summary>
/// When the three S1 reminders are due after the abandonment: 5 min, 1 h and 24 h in production. A run that cannot
/// wait hours shortens them (a lateness run makes the first push due 2 s after the checkout); every framework's S1
/// reads them from here, so all three run the same schedule.
/// </summary>
public static class S1Timing
{
    /// <summary>The S1 step names, as every framework records them.</summary>
    public const string FirstPushStep = "push-reminder";

    /// <summary>The e-mail step.</summary>
    public const string EmailStep = "email-reminder";

    /// <summary>The last push.</summary>
    public const string ExtraOfferStep = "push-extra-offer";

    public static TimeSpan FirstPush { get; private set; } = TimeSpan.FromMinutes(5);

    public static TimeSpan Email { get; private set; } = TimeSpan.FromHours(1);

    public static TimeSpan ExtraOffer { get; private set; } = TimeSpan.FromHours(24);

    /// <summary>Every step in order, with its delay after the abandonment.</summary>
    public static IReadOnlyList<(string Step, TimeSpan After)> Steps => [(FirstPushStep, FirstPush), (EmailStep, Email), (ExtraOfferStep, ExtraOffer)];

    /// <summary>Sets the three delays for this process (a run sets them before any framework starts).</summary>
    public static void Use(TimeSpan firstPush, TimeSpan email, TimeSpan extraOffer)
    {
        FirstPush = firstPush;
        Email = email;
        ExtraOffer = extraOffer;
    }

    /// <summary>Back to the production delays.</summary>
    public static void Reset() => Use(TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), TimeSpan.FromHours(24));

    /// <summary>The delay of a step after the abandonment.</summary>
    public static TimeSpan DelayOf(string step) => Steps.First(s => s.Step == step).After;
}
