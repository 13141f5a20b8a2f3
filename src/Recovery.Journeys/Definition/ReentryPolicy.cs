namespace Recovery.Journeys.Definition;

/// <summary>What a trigger does when its journey already has an active instance for the same correlation key.</summary>
public enum ReentryPolicy
{
    /// <summary>The running instance carries on; the new trigger is recorded on its timeline and otherwise ignored. The default.</summary>
    Ignore = 0,

    /// <summary>The running instance exits (reason "restarted") and a new one starts from the new trigger.</summary>
    Restart = 1,
}
