namespace Recovery.Journeys.Storage;

/// <summary>
/// Where an instance stands in its lifecycle, in words. The runtime moves an instance between these states, every
/// transition in one place (see <c>docs/architecture.md</c> for the diagram):
/// <c>Waiting → Due → Running → Waiting | Listening | Converted | Completed | Exited | Failed</c>,
/// <c>Listening → Converted | Completed</c>, and an exit event ends any state that is not final.
/// </summary>
public enum InstanceState
{
    /// <summary>Its next step is due later.</summary>
    Waiting = 0,

    /// <summary>Its next step is due now or overdue and no worker holds it yet.</summary>
    Due = 1,

    /// <summary>A worker holds it and runs its step. Only the worker that claimed it sees it so; the store shows it as due.</summary>
    Running = 2,

    /// <summary>It ran its last step and listens, sending nothing, for a late goal event until its attribution window ends.</summary>
    Listening = 3,

    /// <summary>Final: its goal event came (the order was paid).</summary>
    Converted = 4,

    /// <summary>Final: it ran every step, and listened for its goal, without meeting it.</summary>
    Completed = 5,

    /// <summary>Final: it stopped early (an exit event, a restart, a newer journey of the customer).</summary>
    Exited = 6,

    /// <summary>Final: it could not go on (a failed step in a journey that stops on failure, a version no longer registered).</summary>
    Failed = 7,
}
