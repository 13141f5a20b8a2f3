using NodaTime;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Storage;

// Pauses of whole journeys.
public sealed partial class InMemoryJourneyStore
{
    /// <inheritdoc />
    public ValueTask SetPauseAsync(JourneyPause pause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pause);
        lock (_gate)
        {
            _pauses[pause.JourneyName] = pause;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<PauseEnd?> ClearPauseAsync(string journeyName, Instant resumedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journeyName);
        lock (_gate)
        {
            if (!_pauses.Remove(journeyName, out var pause))
            {
                return ValueTask.FromResult<PauseEnd?>(null);
            }

            if (_parked.Remove(journeyName, out var parked))
            {
                parked.ForEach(Enqueue);
            }

            var detail = $"held while the journey was paused, from {NodaTime.Text.InstantPattern.ExtendedIso.Format(pause.PausedAt)} to {NodaTime.Text.InstantPattern.ExtendedIso.Format(resumedAt)}";
            var held = _activeSet.Where(e => e.Instance.JourneyName == journeyName && e.Instance.WakeUpAt <= resumedAt).ToList();
            foreach (var entry in held)
            {
                entry.Append(new JourneyRecord(entry.Instance.Id, journeyName, resumedAt, JourneyRecordKind.Held) { StepId = entry.Instance.NextStepId, Detail = detail });
            }

            return ValueTask.FromResult<PauseEnd?>(new PauseEnd(pause, [.. held.Select(e => e.Instance.Id)]));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JourneyPause>> GetPausesAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<JourneyPause>>([.. _pauses.Values]);
        }
    }
}
