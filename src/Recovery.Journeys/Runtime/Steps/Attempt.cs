using Recovery.Journeys.Ports;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Runtime.Steps;

/// <summary>What one call to a channel, action or provider came to.</summary>
internal enum AttemptKind
{
    Sent,
    Skipped,
    Permanent,
    Transient,
}

internal readonly record struct AttemptResult(AttemptKind Kind, string? Detail)
{
    public static AttemptResult Sent { get; } = new(AttemptKind.Sent, null);

    public static AttemptResult Skipped(string reason) => new(AttemptKind.Skipped, reason);
}

/// <summary>Calls the host's code with a time limit and sorts what it throws into permanent and transient failures.</summary>
internal static class Attempt
{
    public static async ValueTask<AttemptResult> RunAsync<TState>(
        TState state,
        Func<TState, CancellationToken, ValueTask<AttemptResult>> call,
        StepServices services,
        CancellationToken cancellationToken)
    {
        var timeout = services.Options.SendTimeout;

        // The time limit runs on the injected clock, so a fake clock decides when a slow channel times out. A token that
        // can never be cancelled needs no link to it.
        using var timer = new CancellationTokenSource(timeout.ToTimeSpanCeiling(), services.TimeProvider);
        using var limit = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token) : null;
        try
        {
            return await call(state, (limit ?? timer).Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping: the claim is released and the step runs again with the same idempotency key.
            throw;
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            return new AttemptResult(AttemptKind.Transient, $"timed out after {DurationText.Format(timeout)}");
        }
        catch (PermanentDeliveryException e)
        {
            return new AttemptResult(AttemptKind.Permanent, Describe(e));
        }
        catch (Exception e)
        {
            return new AttemptResult(AttemptKind.Transient, Describe(e));
        }
    }

    public static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";
}
