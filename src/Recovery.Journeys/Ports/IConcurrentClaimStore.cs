namespace Recovery.Journeys.Ports;

/// <summary>
/// A store whose claims each take a round trip of their own (a row lock in a transaction of its own, say), so that
/// several asked for at once are granted sooner than the same number asked for one after another.
/// </summary>
/// <remarks>
/// The engine then keeps up to <see cref="MaxClaimsInFlight"/> one-instance <see cref="IJourneyStore.ClaimDueAsync"/>
/// calls in flight at once (never more than <c>JourneyEngineOptions.MaxConcurrentSteps</c>), each one's step starting as
/// soon as its claim is granted, as that many clients of the database would. A claim that waits for another claim's
/// commit (a row the other step is updating) is therefore never waiting for a claim the engine has not been handed yet.
/// </remarks>
public interface IConcurrentClaimStore
{
    /// <summary>How many claim calls the engine may have in flight at once; 1 or less claims one call after another, as for any store.</summary>
    int MaxClaimsInFlight { get; }
}
