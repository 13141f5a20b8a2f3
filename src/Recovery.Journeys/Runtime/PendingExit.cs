using NodaTime;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Runtime;

/// <summary>
/// The exit rules one event matched for one journey and key, whatever the versions (in the order the rules are
/// listed): remembered once, it ends the active instance by the rule of that instance's version (<see cref="End"/>).
/// </summary>
/// <remarks>
/// One object per exit, which the store's end function is bound to: it replaced a list of the matches, its array, and
/// the closure of a local function. An event matches one rule most of the time; the others are kept only when there are.
/// </remarks>
internal sealed class PendingExit(ExitMatch first, Type eventType)
{
    private List<ExitMatch>? _others;

    /// <summary>The first rule matched: its journey names the exit, its instant (if the rule knows it) dates it.</summary>
    public ExitMatch First => first;

    /// <summary>When the event was published; set once every selector has run, before <see cref="End"/> is called.</summary>
    public Instant Now { get; set; }

    /// <summary>Whether a match concerns the same journey and key (another version's rule).</summary>
    public bool Concerns(in ExitMatch match) =>
        string.Equals(match.Journey.Name, first.Journey.Name, StringComparison.Ordinal) && string.Equals(match.Key, first.Key, StringComparison.Ordinal);

    /// <summary>Adds a rule of another version of the same journey, for the same key.</summary>
    public void Add(in ExitMatch match) => (_others ??= []).Add(match);

    /// <summary>Ends the active instance by the first rule of its version, as the rules are listed; <see langword="null"/> when none is of its version.</summary>
    public JourneyTransition? End(JourneyInstance active)
    {
        if (first.Journey.Version == active.JourneyVersion)
        {
            return EndBy(first, active);
        }

        for (var i = 0; i < (_others?.Count ?? 0); i++)
        {
            var match = _others![i];
            if (match.Journey.Version == active.JourneyVersion)
            {
                return EndBy(match, active);
            }
        }

        return null;
    }

    private JourneyTransition EndBy(in ExitMatch match, JourneyInstance active) =>
        match.Rule.IsConversion
            ? InstanceLifecycle.Convert(match.Journey, active, Now, eventType.Name, match.Value)
            : InstanceLifecycle.Exit(match.Journey, active, Now, eventType.Name, match.Value);
}
