namespace Recovery.Journeys.AspNetCore.Tests.Fixtures;

/// <summary>
/// Tests that collect with OpenTelemetry run alone: its listeners take every meter and activity source named
/// "Recovery.Journeys" in the process, whichever factory made them, so another test's engine publishing at the same
/// time would be counted too (a run counted 5 journeys entered where the test published 2).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideTelemetry
{
    public const string Name = "Process-wide telemetry listeners";
}
