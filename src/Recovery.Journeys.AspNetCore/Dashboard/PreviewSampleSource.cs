namespace Recovery.Journeys.AspNetCore.Dashboard;

/// <summary>Where the event a preview renders with comes from.</summary>
internal enum PreviewSampleSource
{
    /// <summary>No event: the host registered none and none has arrived (or the last one could not be read back).</summary>
    None,

    /// <summary>The sample event the host registered (<see cref="JourneyDashboardOptions.AddSampleEvent"/>), rendered as given.</summary>
    HostSample,

    /// <summary>The journey's last real trigger, its personal data masked (<see cref="PersonalDataMask"/>).</summary>
    LastRealEvent,
}
