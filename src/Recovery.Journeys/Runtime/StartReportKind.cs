namespace Recovery.Journeys.Runtime;

/// <summary>What a start did (<see cref="StartReport"/>).</summary>
internal enum StartReportKind
{
    /// <summary>The start was suppressed or refused.</summary>
    Suppressed,

    /// <summary>A new instance started.</summary>
    Started,

    /// <summary>An active instance of the key ignored the trigger (re-entry policy Ignore).</summary>
    Ignored,
}
