using Recovery.Journeys.Benchmarks.Durable;
using Recovery.Journeys.Runtime;

namespace Recovery.Journeys.Benchmarks.Lateness;

/// <summary>The lateness run's settings, from its command line (docs/performance.md section 5 lists the defaults).</summary>
/// <param name="Rate">Fast due steps a second (<c>--rate</c>, default 1,000): checkouts published a second, each with one push due 2 s later.</param>
/// <param name="Seconds">How long the shop publishes (<c>--seconds</c>, default 20).</param>
/// <param name="SlowRate">
/// Slow sends started a second (<c>--slow-rate</c>, default 50 with <c>--slow-channel</c>, else 0): checkouts of a
/// second journey whose one e-mail, due 2 s after its start, goes through a channel that awaits <see cref="SlowCall"/>.
/// </param>
/// <param name="SlowCall">How long a slow call takes (<c>--slow-call-ms</c>, default 4,000 ms).</param>
/// <param name="MaxConcurrentSteps">
/// The engine's <see cref="JourneyEngineOptions.MaxConcurrentSteps"/> (<c>--max-concurrent-steps</c>). When not given:
/// the library's default without a slow channel; with one, twice the slow sends in flight (slow rate × call time),
/// at least the library's default and at most 1,024, so that the slow sends never take every slot.
/// </param>
/// <param name="LatencyMode">
/// The <see cref="System.Runtime.GCSettings.LatencyMode"/> the run sets before it starts (<c>--gc-latency-mode</c>, e.g.
/// <c>SustainedLowLatency</c>), as a host would at its start; when not given, the runtime's own.
/// </param>
public sealed record LatenessOptions(int Rate, int Seconds, int SlowRate, TimeSpan SlowCall, int? MaxConcurrentSteps, System.Runtime.GCLatencyMode? LatencyMode = null)
{
    /// <summary>Reads the options; anything not given takes its default.</summary>
    public static LatenessOptions Parse(string[] args)
    {
        var slow = args.Contains("--slow-channel");
        var slowRate = DurableRun.Option(args, "--slow-rate", slow ? 50 : 0);
        var slowCall = TimeSpan.FromMilliseconds(DurableRun.Option(args, "--slow-call-ms", 4000));
        var inFlight = (int)Math.Ceiling(slowRate * slowCall.TotalSeconds);
        int? sized = slowRate > 0 ? Math.Clamp(2 * inFlight, new JourneyEngineOptions().MaxConcurrentSteps, 1024) : null;
        var maxConcurrent = DurableRun.OptionText(args, "--max-concurrent-steps");
        var latencyMode = DurableRun.OptionText(args, "--gc-latency-mode");
        return new LatenessOptions(
            DurableRun.Option(args, "--rate", 1000),
            DurableRun.Option(args, "--seconds", 20),
            slowRate,
            slowCall,
            maxConcurrent is null ? sized : int.Parse(maxConcurrent, System.Globalization.CultureInfo.InvariantCulture),
            latencyMode is null ? null : Enum.Parse<System.Runtime.GCLatencyMode>(latencyMode, ignoreCase: true));
    }
}
