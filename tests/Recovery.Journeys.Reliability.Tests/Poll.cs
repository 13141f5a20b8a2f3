namespace Recovery.Journeys.Reliability.Tests;

/// <summary>
/// Waits for something observable (a row count, a process exit) by looking again every few milliseconds, up to a
/// timeout. The tests never sleep to "let things happen": they wait for what should happen, and fail if it does not.
/// </summary>
internal static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    /// <summary>Returns once <paramref name="condition"/> holds; throws after <paramref name="timeout"/>, or as soon as a worker exits on its own.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe, params IEnumerable<WorkerProcess> workers)
    {
        using var timer = new PeriodicTimer(Interval);
        using var expiry = new CancellationTokenSource(timeout);
        while (true)
        {
            foreach (var worker in workers)
            {
                worker.EnsureRunning();
            }

            if (await condition())
            {
                return;
            }

            try
            {
                await timer.WaitForNextTickAsync(expiry.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:F0} s for {describe()}." +
                    string.Concat(workers.Select(w => $"\nOutput of worker {w.Name}:\n{w.Output}")));
            }
        }
    }
}
