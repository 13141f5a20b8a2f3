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
    // Made where read (a value of two fields): a static field's initialiser made every read check the type's
    // initialisation (0.6 % of the scheduling benchmark's samples).
    public static AttemptResult Sent => new(AttemptKind.Sent, null);

    public static AttemptResult Skipped(string reason) => new(AttemptKind.Skipped, reason);
}

/// <summary>
/// Calls the host's code with a time limit and sorts what it throws into permanent and transient failures. A call
/// that outlives the limit is abandoned, whether or not it honours its cancellation token: the step records a transient
/// failure and is retried later with the same idempotency key, and the worker is free for other steps.
/// </summary>
internal static class Attempt
{
    /// <remarks>
    /// A call that completes at once (most: a channel that answers without waiting) is done here, without a state
    /// machine; one that waits or fails goes on in <see cref="AwaitAsync"/>, which sorts what it throws.
    /// </remarks>
    public static ValueTask<AttemptResult> RunAsync<TState>(
        TState state,
        Func<TState, CancellationToken, ValueTask<AttemptResult>> call,
        StepServices services,
        CancellationToken cancellationToken)
    {
        // The call's token, cancelled by the caller's token and by the time limit. The time limit's timer starts only
        // when the call waits, counted from before the call on the injected clock (so a fake clock decides when a slow
        // channel times out): most calls complete at once and need no timer. A token that can never be cancelled
        // registers nothing.
        var started = services.TimeProvider.GetTimestamp();
        var limit = new CancellationTokenSource();
        var link = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), limit);
        ValueTask<AttemptResult> pending;
        try
        {
            pending = call(state, limit.Token);
        }
        catch (Exception e)
        {
            // Thrown before the call returned: sorted as if its task had failed.
            pending = ValueTask.FromException<AttemptResult>(e);
        }

        if (pending.IsCompletedSuccessfully)
        {
            var result = pending.Result;
            link.Dispose();
            limit.Dispose();
            return new ValueTask<AttemptResult>(result);
        }

        return AwaitAsync(pending, started, limit, link, services, cancellationToken);
    }

    /// <summary>The rest of <see cref="RunAsync"/> for a call that waits or failed: owns <paramref name="limit"/> and <paramref name="link"/>.</summary>
    private static async ValueTask<AttemptResult> AwaitAsync(
        ValueTask<AttemptResult> pending,
        long started,
        CancellationTokenSource limit,
        CancellationTokenRegistration link,
        StepServices services,
        CancellationToken cancellationToken)
    {
        var timeout = services.Options.SendTimeout;
        var clock = services.TimeProvider;
        ITimer? timer = null;
        try
        {
            if (pending.IsCompleted)
            {
                return await pending.ConfigureAwait(false);
            }

            timer = StartTimer(clock, limit, timeout.ToTimeSpanCeiling() - clock.GetElapsedTime(started));
            return await AbandonableAsync(pending.AsTask(), limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping: the claim is released and the step runs again with the same idempotency key.
            throw;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
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
        finally
        {
            timer?.Dispose();
            link.Dispose();
            limit.Dispose();
        }
    }

    /// <summary>What a timeline keeps of an exception: its type and its message, redacted (<see cref="JourneyEngineOptions.RedactError"/>).</summary>
    public static string Describe(Exception e, JourneyEngineOptions options) => $"{e.GetType().Name}: {options.RedactError(e.Message)}";

    /// <summary>
    /// Cancels <paramref name="limit"/> once <paramref name="remaining"/> has passed on <paramref name="clock"/>, or now if
    /// it already has; as <see cref="CancellationTokenSource(TimeSpan, TimeProvider)"/> does, without the execution context.
    /// </summary>
    private static ITimer? StartTimer(TimeProvider clock, CancellationTokenSource limit, TimeSpan remaining)
    {
        if (remaining <= TimeSpan.Zero)
        {
            limit.Cancel();
            return null;
        }

        var restoreFlow = !ExecutionContext.IsFlowSuppressed();
        if (restoreFlow)
        {
            ExecutionContext.SuppressFlow();
        }

        try
        {
            return clock.CreateTimer(TimeUp, limit, remaining, Timeout.InfiniteTimeSpan);
        }
        finally
        {
            if (restoreFlow)
            {
                ExecutionContext.RestoreFlow();
            }
        }
    }

    private static void TimeUp(object? limit)
    {
        try
        {
            ((CancellationTokenSource)limit!).Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call ended and its attempt disposed the source as the timer fired.
        }
    }

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
