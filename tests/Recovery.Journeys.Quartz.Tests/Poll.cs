namespace Recovery.Journeys.Quartz.Tests;

/// <summary>
/// Waits for something observable (a row count, a send) by looking again every few milliseconds, up to a timeout. The
/// tests never sleep to "let things happen": they wait for what should happen, and fail if it does not.
/// </summary>
internal static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(25));
        using var expiry = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            try
            {
                await timer.WaitForNextTickAsync(expiry.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:F0} s for {describe()}.");
            }
        }
    }
}
