using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Ports;

/// <summary>Exclusive hold of one due instance by one worker.</summary>
/// <remarks>Disposing a claim that was not committed releases it unchanged: the instance stays due.</remarks>
public interface IJourneyClaim : IAsyncDisposable
{
    /// <summary>The instance's state when it was claimed.</summary>
    JourneyInstance Instance { get; }

    /// <summary>Persists the new state and its records atomically, and releases the claim.</summary>
    /// <param name="transition">The new state of <see cref="Instance"/> and its records.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="JourneyClaimLostException">The claim expired and another worker took the instance.</exception>
    ValueTask CommitAsync(JourneyTransition transition, CancellationToken cancellationToken);
}
