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

/// <summary>
/// Calls the host's code with a time limit and sorts what it throws into permanent and transient failures. A call
/// that outlives the limit is abandoned, whether or not it honours its cancellation token: the step records a transient
/// failure and is retried later with the same idempotency key, and the worker is free for other steps.
/// </summary>
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
        var token = (limit ?? timer).Token;
        try
        {
            var pending = call(state, token);
            return pending.IsCompleted ? await pending.ConfigureAwait(false) : await AbandonableAsync(pending.AsTask(), token).ConfigureAwait(false);
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
            return new AttemptResult(AttemptKind.Permanent, Describe(e, services.Options));
        }
        catch (Exception e)
        {
            return new AttemptResult(AttemptKind.Transient, Describe(e, services.Options));
        }
    }

    /// <summary>What a timeline keeps of an exception: its type and its message, redacted (<see cref="JourneyEngineOptions.RedactError"/>).</summary>
    public static string Describe(Exception e, JourneyEngineOptions options) => $"{e.GetType().Name}: {options.RedactError(e.Message)}";

    /// <summary>Waits for the call until the token is cancelled, then leaves it behind (a hung provider must not hold a worker).</summary>
    private static async Task<AttemptResult> AbandonableAsync(Task<AttemptResult> call, CancellationToken token)
    {
        try
        {
            return await call.WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!call.IsCompleted)
        {
            // Left to finish (or not) on its own; whatever it throws then is observed here rather than lost.
            _ = call.ContinueWith(static c => c.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }
}
