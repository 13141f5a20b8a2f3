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
            var held = _active.Slots().Where(i => _slab[i].JourneyName == journeyName && _slab[i].WakeUpAt <= resumedAt).ToList();
            foreach (var index in held)
            {
                ref var slot = ref _slab[index];
                slot.Append(new JourneyRecord(slot.Id, journeyName, resumedAt, JourneyRecordKind.Held) { StepId = slot.NextStepId, Detail = detail });
            }

            return ValueTask.FromResult<PauseEnd?>(new PauseEnd(pause, [.. held.Select(i => _slab[i].Id)]));
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
