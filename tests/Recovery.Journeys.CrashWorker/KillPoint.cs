using System.Diagnostics;
using System.Globalization;

namespace Recovery.Journeys.CrashWorker;

/// <summary>
/// Where a run kills itself with SIGKILL, from the environment variable <c>CRASH_WORKER_KILL_AT</c>:
/// <c>claim:N</c> (right after the store granted the Nth claim, before its step runs), <c>before-commit:N</c> (the Nth
/// step was sent, its commit not begun) or <c>after-commit:N</c> (the Nth commit returned, nothing after it ran).
/// Before dying it prints <c>killing myself at {point} #{N}: {idempotency key}</c>, which the tests read.
/// </summary>
internal sealed class KillPoint
{
    public const string Variable = "CRASH_WORKER_KILL_AT";

    private readonly string _point;
    private readonly int _at;
    private int _count;

    private KillPoint(string point, int at)
    {
        _point = point;
        _at = at;
    }

    /// <summary>The kill point the environment asks for, or <see langword="null"/>.</summary>
    public static KillPoint? FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } value)
        {
            return null;
        }

        var parts = value.Split(':');
        if (parts.Length != 2 || parts[0] is not ("claim" or "before-commit" or "after-commit") || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var at) || at < 1)
        {
            throw new ArgumentException($"{Variable} must be claim:N, before-commit:N or after-commit:N; it is '{value}'.");
        }

        return new KillPoint(parts[0], at);
    }

    /// <summary>Counts one pass at <paramref name="point"/>, and at the chosen one kills the process there and then.</summary>
    public void Pass(string point, string idempotencyKey)
    {
        if (point != _point || Interlocked.Increment(ref _count) != _at)
        {
            return;
        }

        Console.Out.WriteLine($"killing myself at {point} #{_at}: {idempotencyKey}");
        Console.Out.Flush();

        // Process.Kill is SIGKILL on Linux: no finally block, no disposal, no flush of anything else runs.
        using var self = Process.GetCurrentProcess();
        self.Kill();
        Thread.Sleep(Timeout.Infinite);
    }
}
